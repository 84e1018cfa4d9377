package io.ominis.testing.sip.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The messages of one sipp run, read from its short message trace: tab-separated lines of date, time, epoch seconds,
 * {@code S} or {@code R}, Call-ID, {@code CSeq:<n> <method>} and the first line of the message.
 *
 * @param messages the messages in the order sipp handled them, retransmissions included
 */
public record MessageTrace(List<TracedMessage> messages) {

    /** Copies the list. */
    public MessageTrace {
        messages = List.copyOf(messages);
    }

    /** Reads a short message trace; a file sipp has not written yet reads as no messages. */
    public static MessageTrace read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new MessageTrace(List.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sipp's message trace " + file, e);
        }
        List<TracedMessage> messages = new ArrayList<>();
        for (String line : lines) {
            parse(line).ifPresent(messages::add);
        }
        return new MessageTrace(messages);
    }

    /** Parses one line; a line sipp is still writing, or any other malformed line, gives nothing. */
    static Optional<TracedMessage> parse(String line) {
        String[] fields = line.split("\t", -1);
        if (fields.length < 7 || !(fields[3].equals("S") || fields[3].equals("R"))
                || !fields[5].startsWith("CSeq:")) {
            return Optional.empty();
        }
        String[] cseq = fields[5].substring("CSeq:".length()).trim().split(" ", 2);
        if (cseq.length != 2) {
            return Optional.empty();
        }
        try {
            BigDecimal epoch = new BigDecimal(fields[2]);
            long seconds = epoch.longValue();
            long nanos = epoch.subtract(BigDecimal.valueOf(seconds)).movePointRight(9).longValue();
            return Optional.of(new TracedMessage(Instant.ofEpochSecond(seconds, nanos), fields[3].equals("S"),
                    fields[4], Long.parseLong(cseq[0]), cseq[1], fields[6]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The messages that match. */
    public List<TracedMessage> where(Predicate<TracedMessage> condition) {
        return messages.stream().filter(condition).toList();
    }

    /**
     * Status codes of the responses received to requests of {@code method}, in order, each (CSeq, code) pair once so
     * that retransmissions do not repeat.
     */
    public List<Integer> receivedStatuses(String method) {
        Set<String> seen = new LinkedHashSet<>();
        List<Integer> statuses = new ArrayList<>();
        for (TracedMessage message : messages) {
            if (!message.sent() && message.isResponse() && message.cseqMethod().equals(method)
                    && seen.add(message.cseq() + " " + message.status())) {
                statuses.add(message.status());
            }
        }
        return statuses;
    }

    /** The last final (2xx-6xx) status received to requests of {@code method}; 0 if none. */
    public int finalStatus(String method) {
        int status = 0;
        for (TracedMessage message : messages) {
            if (!message.sent() && message.isResponse() && message.cseqMethod().equals(method)
                    && message.status() >= 200) {
                status = message.status();
            }
        }
        return status;
    }

    /**
     * From the first request of {@code method} sent to the last final response received to it (its first copy, not
     * a retransmission); {@code orElse} when there is no final response.
     */
    public Duration transactionTime(String method, Duration orElse) {
        Instant first = null;
        Instant last = null;
        Set<String> seen = new LinkedHashSet<>();
        for (TracedMessage message : messages) {
            if (message.cseqMethod().equals(method)) {
                if (first == null && message.sent() && message.isRequest(method)) {
                    first = message.time();
                } else if (!message.sent() && message.isResponse() && message.status() >= 200
                        && seen.add(message.cseq() + " " + message.status())) {
                    last = message.time();
                }
            }
        }
        return first == null || last == null ? orElse : Duration.between(first, last);
    }

    /** Call-IDs of the incoming INVITEs this sipp answered with 2xx and got an ACK for, in order. */
    public List<String> answeredCallIds() {
        Set<String> answered = new LinkedHashSet<>();
        Set<String> acknowledged = new LinkedHashSet<>();
        for (TracedMessage message : messages) {
            if (message.sent() && message.isResponse() && message.cseqMethod().equals("INVITE")
                    && message.status() >= 200 && message.status() < 300) {
                answered.add(message.callId());
            } else if (!message.sent() && message.isRequest("ACK") && answered.contains(message.callId())) {
                acknowledged.add(message.callId());
            }
        }
        return List.copyOf(acknowledged);
    }

    /** Call-IDs for which a BYE was received, in order. */
    public List<String> callIdsEndedByPeer() {
        Set<String> ended = new LinkedHashSet<>();
        for (TracedMessage message : messages) {
            if (!message.sent() && message.isRequest("BYE")) {
                ended.add(message.callId());
            }
        }
        return List.copyOf(ended);
    }
}
