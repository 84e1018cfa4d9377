package io.ominis.xmlrpc.internal;

import java.util.Locale;
import java.util.Set;

/**
 * Decides which API calls may be sent twice. A transport failure leaves it unknown whether FreeSWITCH ran the
 * command, so only reads and idempotent reloads are retried; {@code originate}, {@code uuid_kill}, {@code agent add}
 * and everything unknown are sent at most once.
 */
public final class RepeatableCommands {

    private static final Set<String> COMMANDS = Set.of("status", "show", "reloadacl", "reloadxml", "xml_flush_cache");
    private static final Set<String> CALLCENTER_PREFIXES = Set.of(
            "agent get", "agent list", "tier list", "queue list", "queue count", "queue load", "queue reload");

    private RepeatableCommands() {
    }

    /** Whether repeating {@code command argument} after a lost reply cannot change anything on the switch. */
    public static boolean isRepeatable(String command, String argument) {
        String name = command.toLowerCase(Locale.ROOT);
        if (COMMANDS.contains(name)) {
            return true;
        }
        if (name.equals("callcenter_config")) {
            String[] words = argument.trim().split(" +", 3);
            return words.length >= 2 && CALLCENTER_PREFIXES.contains(words[0].toLowerCase(Locale.ROOT) + " "
                    + words[1].toLowerCase(Locale.ROOT));
        }
        return false;
    }
}
