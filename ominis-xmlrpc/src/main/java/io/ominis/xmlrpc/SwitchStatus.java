package io.ominis.xmlrpc;

import java.time.Duration;

/**
 * The parsed {@code status} reply. Fields that could not be found in the text are null (the layout is meant for
 * humans and has changed between releases); {@code raw} always holds the full reply.
 *
 * @param uptime               time since start, from the {@code UP …} line
 * @param version              e.g. {@code 1.10.12 -release 64bit}
 * @param ready                whether FreeSWITCH says it {@code is ready}
 * @param sessionsSinceStartup sessions created since start
 * @param sessions             sessions open now
 * @param maxSessions          the configured session limit
 */
public record SwitchStatus(
        Duration uptime,
        String version,
        boolean ready,
        Long sessionsSinceStartup,
        Integer sessions,
        Integer maxSessions,
        String raw) {
}
