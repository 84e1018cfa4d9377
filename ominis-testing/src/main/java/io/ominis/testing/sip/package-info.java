/**
 * SIP phones for end-to-end tests against a real FreeSWITCH, driven through sipp ({@code sip-tester}).
 *
 * <p>A {@link io.ominis.testing.sip.SipPhone} registers, calls a number, or answers calls in the background as an
 * agent would. Every sipp run has a hard deadline and leaves its message traces in a folder the test names.
 * Only loopback addresses are used.
 */
package io.ominis.testing.sip;
