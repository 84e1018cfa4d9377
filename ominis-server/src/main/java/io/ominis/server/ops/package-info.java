/**
 * Operations sub-commands of the server's CLI: {@code freeswitch-config} (FreeSWITCH/ODBC configuration generated from
 * Ominis's settings), {@code db-roles} (least-privilege database roles), {@code backup} and {@code restore}. See
 * {@code docs/operations.md}.
 */
package io.ominis.server.ops;
