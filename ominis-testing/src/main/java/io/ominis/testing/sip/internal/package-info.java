/** Internals of the sipp phones: running sipp, reading its message traces, picking loopback ports. Not API. */
package io.ominis.testing.sip.internal;
