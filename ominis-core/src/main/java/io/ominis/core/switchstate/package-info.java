/**
 * FreeSWITCH core state as it is written to the database by the switch itself (channels, calls, registrations and
 * the small bookkeeping tables). Read-only for Ominis, with one exception: stale-state repair ({@link
 * io.ominis.core.switchstate.StaleRepair}) removes the rows of nodes that stopped answering, which FreeSWITCH itself
 * never cleans up for a switchname that does not come back.
 */
package io.ominis.core.switchstate;
