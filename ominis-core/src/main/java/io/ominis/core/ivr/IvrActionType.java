package io.ominis.core.ivr;

import io.ominis.core.FieldCheck;
import io.ominis.core.InvalidValueException;
import io.ominis.core.WireValue;
import io.ominis.core.directory.Extension;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What pressing a digit does. Each type knows which {@code action_target} it needs, so a menu is never saved with a
 * target FreeSWITCH cannot use (one bad entry makes FreeSWITCH refuse the whole menu).
 */
public enum IvrActionType implements WireValue {
    /** Target: a mod_callcenter queue name such as {@code queue-sales@default}. */
    TRANSFER_QUEUE("transfer_queue"),
    /** Target: an extension number. */
    TRANSFER_EXTENSION("transfer_extension"),
    /** Target: the {@code menu_id} of another menu of the same IVR. */
    SUB_MENU("sub_menu"),
    /** Target: an http or https URL whose answer is spoken. */
    HTTP_API_CALL("http_api_call"),
    /** Target: a FreeSWITCH hangup cause such as {@code NORMAL_CLEARING}. */
    HANGUP("hangup"),
    /**
     * Target: a sound FreeSWITCH can play: a file path without {@code ..}, or a named stream of
     * {@link #SOUND_STREAMS}. Where absolute files may lie is the deployment's {@link IvrTargetPolicy}.
     */
    PLAY_AUDIO("play_audio"),
    /** Target: the extension whose mailbox receives the message. */
    VOICEMAIL("voicemail");

    /** Queue names as mod_callcenter accepts them in {@code callcenter <queue>}. */
    public static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,254}");
    /** Menu identifiers: safe as a FreeSWITCH menu name and in a {@code menu-sub} param. */
    public static final Pattern MENU_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /**
     * The only prefixes a {@code play_audio} target may carry; every other {@code scheme:} is refused
     * ({@code shell_stream://} runs a program, {@code http://} fetches from anywhere, {@code file_string://} chains
     * files past these rules).
     */
    public static final List<String> SOUND_STREAMS = List.of("tone_stream://", "silence_stream://", "say:", "phrase:");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+._-]*:");
    private static final Pattern PARENT_SEGMENT = Pattern.compile("(^|[/\\\\])\\.\\.([/\\\\]|$)");
    private static final Pattern HANGUP_CAUSE = Pattern.compile("[A-Z][A-Z_]{0,63}");

    private final String wire;

    IvrActionType(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }

    /**
     * Checks that {@code target} is what this action needs and returns it.
     *
     * @throws InvalidValueException naming {@code action_target}
     */
    public String validateTarget(String target) {
        String field = "action_target";
        FieldCheck.required(field, target, 2048);
        FieldCheck.noVariables(field, target);
        return switch (this) {
            case TRANSFER_QUEUE -> FieldCheck.matches(field, target, QUEUE_NAME,
                    "must be a queue name (letters, digits, '.', '_', '@', '+', '-')");
            case TRANSFER_EXTENSION, VOICEMAIL -> FieldCheck.matches(field, target, Extension.NUMBER,
                    "must be an extension number");
            case SUB_MENU -> FieldCheck.matches(field, target, MENU_ID, "must be the menu_id of a menu of this IVR");
            case HANGUP -> FieldCheck.matches(field, target, HANGUP_CAUSE,
                    "must be a FreeSWITCH hangup cause such as NORMAL_CLEARING");
            case HTTP_API_CALL -> httpUrl(field, target);
            case PLAY_AUDIO -> sound(field, target);
        };
    }

    /** Whether {@code target} is one of the named streams of {@link #SOUND_STREAMS}. */
    public static boolean isSoundStream(String target) {
        return target != null && SOUND_STREAMS.stream().anyMatch(target::startsWith);
    }

    private static String sound(String field, String target) {
        FieldCheck.singleLine(field, target, 2048);
        if (isSoundStream(target)) {
            return target;
        }
        if (SCHEME.matcher(target).find()) {
            throw new InvalidValueException(field, "must be a file or one of the streams " + SOUND_STREAMS
                    + "; other schemes (shell_stream://, http://, file_string://…) are refused");
        }
        if (PARENT_SEGMENT.matcher(target).find()) {
            throw new InvalidValueException(field, "must not contain '..' path segments");
        }
        return target;
    }

    private static String httpUrl(String field, String target) {
        try {
            URI uri = new URI(target);
            String scheme = uri.getScheme();
            if (scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    && uri.getHost() != null) {
                return target;
            }
        } catch (URISyntaxException e) {
            // reported below with the same wording as a wrong scheme
        }
        throw new InvalidValueException(field, "must be an absolute http or https URL");
    }
}
