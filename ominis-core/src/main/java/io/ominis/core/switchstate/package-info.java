/**
 * FreeSWITCH core state as it is written to the database by the switch itself (channels, calls, registrations and
 * the small bookkeeping tables). Read-only for Ominis.
 */
package io.ominis.core.switchstate;
