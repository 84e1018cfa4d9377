package io.ominis.xmlrpc;

import io.ominis.core.InvalidValueException;
import io.ominis.core.switchstate.Channel;
import io.ominis.core.switchstate.DetailedCall;
import io.ominis.core.switchstate.Registration;
import io.ominis.xmlrpc.internal.Arguments;
import io.ominis.xmlrpc.internal.Replies;
import io.ominis.xmlrpc.internal.ShowJson;
import io.ominis.xmlrpc.internal.SwitchRows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed core API commands of one node ({@code mod_commands}): status, {@code show … as json}, reloads, cache flush and
 * call control. Every argument is checked before anything is sent; replies are checked against the exact shape
 * FreeSWITCH 1.10 prints.
 */
public final class FreeSwitchCommands {

    private static final Pattern UPTIME = Pattern.compile("UP (\\d+) years?, (\\d+) days?, (\\d+) hours?, (\\d+) minutes?, "
            + "(\\d+) seconds?, (\\d+) milliseconds?, (\\d+) microseconds?");
    private static final Pattern VERSION = Pattern.compile("FreeSWITCH \\(Version ([^)]*)\\) is (ready|not ready)");
    private static final Pattern SINCE_STARTUP = Pattern.compile("(\\d+) session\\(s\\) since startup");
    private static final Pattern SESSIONS = Pattern.compile("(?m)^(\\d+) session\\(s\\) - peak");
    private static final Pattern MAX_SESSIONS = Pattern.compile("(?m)^(\\d+) session\\(s\\) max");
    private static final Pattern FLUSHED = Pattern.compile("\\+OK cleared (\\d+) entr(?:y|ies)");
    /** originate blocks until answer or failure; allow the ring time plus this much for setup and teardown. */
    private static final Duration ORIGINATE_MARGIN = Duration.ofSeconds(10);
    private static final Duration FREESWITCH_ORIGINATE_TIMEOUT = Duration.ofSeconds(60);

    private final FreeSwitchApi api;

    public FreeSwitchCommands(FreeSwitchApi api) {
        this.api = Objects.requireNonNull(api, "api");
    }

    /** {@code status}: uptime, version, readiness and session counts, with the raw text kept. */
    public SwitchStatus status() {
        String raw = api.api("status", "");
        Matcher up = UPTIME.matcher(raw);
        Duration uptime = null;
        if (up.find()) {
            uptime = Duration.ofDays(365L * Long.parseLong(up.group(1)) + Long.parseLong(up.group(2)))
                    .plusHours(Long.parseLong(up.group(3)))
                    .plusMinutes(Long.parseLong(up.group(4)))
                    .plusSeconds(Long.parseLong(up.group(5)))
                    .plusMillis(Long.parseLong(up.group(6)))
                    .plusNanos(1000L * Long.parseLong(up.group(7)));
        }
        Matcher version = VERSION.matcher(raw);
        boolean found = version.find();
        Matcher since = SINCE_STARTUP.matcher(raw);
        return new SwitchStatus(uptime, found ? version.group(1) : null, found && version.group(2).equals("ready"),
                since.find() ? Long.valueOf(since.group(1)) : null, firstInt(SESSIONS, raw), firstInt(MAX_SESSIONS, raw), raw);
    }

    /** {@code show channels as json}: this node's channels, ordered by creation. {@code ""} values read as null. */
    public List<Channel> showChannels() {
        return show("channels", row -> SwitchRows.channel(row, ""));
    }

    /** {@code show calls as json} (the {@code basic_calls} view): one row per bridge plus one per lone channel. */
    public List<BasicCall> showCalls() {
        return show("calls", row -> new BasicCall(SwitchRows.channel(row, ""), callee(row),
                ShowJson.integer(row, "call_created_epoch")));
    }

    /** {@code show detailed_calls as json}: like {@link #showCalls()} with every column but {@code initial_*}. */
    public List<DetailedCall> showDetailedCalls() {
        return show("detailed_calls", row -> new DetailedCall(SwitchRows.channel(row, ""), callee(row),
                ShowJson.integer(row, "call_created_epoch")));
    }

    /** {@code show registrations as json}: this node's SIP registrations (expired ones may linger up to 15 s). */
    public List<Registration> showRegistrations() {
        return show("registrations", SwitchRows::registration);
    }

    /** {@code reloadacl}: reloads the XML and rebuilds the network lists; FreeSWITCH must say {@code +OK acl reloaded}. */
    public void reloadAcl() {
        Replies.requireOk("reloadacl", api.api("reloadacl", ""), "acl reloaded");
    }

    /** {@code reloadxml}: re-reads the XML configuration. */
    public void reloadXml() {
        String reply = api.api("reloadxml", "");
        if (!reply.startsWith("+OK")) {
            throw new UnexpectedReplyException("reloadxml", "expected '+OK [Success]'", reply);
        }
    }

    /**
     * {@code xml_flush_cache id <user> <domain>}: evicts a cached directory user (one cached with {@code cacheable}).
     *
     * @return how many cache entries FreeSWITCH cleared
     */
    public int xmlFlushCache(String user, String domain) {
        String argument = "id " + Arguments.word("user", user) + " " + Arguments.word("domain", domain);
        String reply = api.api("xml_flush_cache", argument);
        Matcher m = FLUSHED.matcher(reply.strip());
        if (!m.matches()) {
            throw new UnexpectedReplyException("xml_flush_cache", "expected '+OK cleared N entries'", reply);
        }
        return Integer.parseInt(m.group(1));
    }

    /**
     * {@code uuid_kill <uuid> [cause]}: hangs up a channel.
     *
     * @param cause a hangup cause such as {@code NORMAL_CLEARING}, or null for FreeSWITCH's default
     * @throws FreeSwitchErrorException with {@code No such channel!} when the channel is gone
     */
    public void uuidKill(String uuid, String cause) {
        String argument = Arguments.word("uuid", uuid) + (cause == null ? "" : " " + Arguments.word("cause", cause));
        Replies.requireOk("uuid_kill", api.api("uuid_kill", argument), "");
    }

    /**
     * {@code originate …}: places a call and blocks until it is answered or fails.
     *
     * @return the uuid of the new leg
     * @throws FreeSwitchErrorException carrying the hangup cause (e.g. {@code USER_BUSY}) when the call fails
     */
    public String originate(Originate call) {
        String argument = originateArgument(call);
        Duration ring = call.timeout() != null ? call.timeout() : FREESWITCH_ORIGINATE_TIMEOUT;
        return Replies.afterOk("originate", api.api("originate", argument, ring.plus(ORIGINATE_MARGIN)), "");
    }

    /**
     * {@code bgapi originate …}: queues the call and returns at once.
     *
     * @return the Job-UUID under which FreeSWITCH reports the result (a {@code BACKGROUND_JOB} event)
     */
    public String bgapiOriginate(Originate call) {
        return Replies.afterOk("bgapi", api.api("bgapi", "originate " + originateArgument(call)), "Job-UUID: ");
    }

    private static String originateArgument(Originate call) {
        List<String> slots = new ArrayList<>();
        slots.add(Arguments.word("url", call.url()));
        slots.add(Arguments.word("destination", call.destination()));
        slots.add(call.dialplan() == null ? null : Arguments.word("dialplan", call.dialplan()));
        slots.add(call.context() == null ? null : Arguments.word("context", call.context()));
        slots.add(call.callerIdName() == null ? null : Arguments.quotable("callerIdName", call.callerIdName()));
        slots.add(call.callerIdNumber() == null ? null : Arguments.word("callerIdNumber", call.callerIdNumber()));
        if (call.timeout() != null) {
            long seconds = call.timeout().toSeconds();
            if (seconds < 1 || seconds > Integer.MAX_VALUE) {
                throw new InvalidValueException("timeout", "must be at least one second");
            }
            slots.add(Long.toString(seconds));
        }
        while (slots.get(slots.size() - 1) == null) {
            slots.remove(slots.size() - 1);
        }
        StringBuilder argument = new StringBuilder();
        for (String slot : slots) {
            if (argument.length() > 0) {
                argument.append(' ');
            }
            argument.append(slot == null ? "undef" : slot);
        }
        return argument.toString();
    }

    private <T> List<T> show(String what, Function<Map<String, String>, T> mapper) {
        String reply = api.api("show", what + " as json");
        return Replies.parse("show", reply, json -> ShowJson.rows(json).stream().map(mapper).toList());
    }

    private static Channel callee(Map<String, String> row) {
        return row.get("b_uuid") == null ? null : SwitchRows.channel(row, "b_");
    }

    private static Integer firstInt(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }
}
