package io.ominis.xmlrpc;

import java.time.Duration;
import java.util.Objects;

/**
 * The arguments of {@code originate <url> <destination> [dialplan] [context] [cid_name] [cid_num] [timeout]}. Absent
 * optional slots are sent as {@code undef} so FreeSWITCH applies its defaults (XML, default, 60 s).
 *
 * @param url            the leg to call, e.g. {@code user/1000@default} or {@code {origination_caller_id_number=100}sofia/gateway/gw/5551234}; no spaces
 * @param destination    an extension for the dialplan, or {@code &app(args)}; no spaces
 * @param dialplan       e.g. {@code XML}; null for the default
 * @param context        e.g. {@code default}; null for the default
 * @param callerIdName   may contain spaces; null for the default
 * @param callerIdNumber null for the default
 * @param timeout        how long to ring, whole seconds; null for FreeSWITCH's 60 s
 */
public record Originate(
        String url,
        String destination,
        String dialplan,
        String context,
        String callerIdName,
        String callerIdNumber,
        Duration timeout) {

    public Originate {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(destination, "destination");
    }

    /** Calls {@code url} and sends the answered leg to {@code destination}, everything else at FreeSWITCH's defaults. */
    public static Originate of(String url, String destination) {
        return new Originate(url, destination, null, null, null, null, null);
    }

    /** A copy routed through {@code dialplan} and {@code context}. */
    public Originate withRouting(String dialplan, String context) {
        return new Originate(url, destination, dialplan, context, callerIdName, callerIdNumber, timeout);
    }

    /** A copy that presents this caller id. */
    public Originate withCallerId(String name, String number) {
        return new Originate(url, destination, dialplan, context, name, number, timeout);
    }

    /** A copy that rings for at most {@code timeout}. */
    public Originate withTimeout(Duration timeout) {
        return new Originate(url, destination, dialplan, context, callerIdName, callerIdNumber, timeout);
    }
}
