package io.ominis.core.ivr;

import com.fasterxml.jackson.databind.JsonNode;
import io.ominis.core.FieldCheck;
import io.ominis.core.InvalidValueException;
import java.time.Instant;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A digit binding of a menu ({@code ivr_menu_options} table).
 *
 * @param menuId       the numeric {@link IvrMenu#id()} of the menu this option belongs to
 * @param digit        {@code 0-9}, {@code *}, {@code #} (up to 32 of them), {@code timeout}, or FreeSWITCH's
 *                     {@code /regex/} form
 * @param actionConfig extra settings of the action as a JSON object; may be null
 */
public record IvrMenuOption(
        Integer id,
        int menuId,
        String digit,
        IvrActionType actionType,
        String actionTarget,
        JsonNode actionConfig,
        String description,
        Instant createdAt) {

    /** The digit forms FreeSWITCH's menu binder understands, and {@code timeout} for the no-input branch. */
    public static final Pattern DIGIT = Pattern.compile("[0-9*#]{1,32}|timeout|/.{1,30}/");

    /** A new option without extra configuration. */
    public static IvrMenuOption of(int menuId, String digit, IvrActionType type, String target) {
        return new IvrMenuOption(null, menuId, digit, type, target, null, null, null);
    }

    /** Checks every field (including that the target suits the action) and returns this record. */
    public IvrMenuOption validate() {
        FieldCheck.matches("digit", digit, DIGIT, "must be digits 0-9, '*' or '#', 'timeout', or a /regex/");
        if (digit.startsWith("/")) {
            try {
                Pattern.compile(digit.substring(1, digit.length() - 1));
            } catch (PatternSyntaxException e) {
                throw new InvalidValueException("digit", "is not a valid regular expression: " + e.getDescription());
            }
        }
        if (actionType == null) {
            throw new InvalidValueException("action_type", "is required");
        }
        actionType.validateTarget(actionTarget);
        if (actionConfig != null && !actionConfig.isNull() && !actionConfig.isObject()) {
            throw new InvalidValueException("action_config", "must be a JSON object");
        }
        FieldCheck.noVariables("action_config", actionConfig);
        FieldCheck.multiLine("description", description, 10_000);
        return this;
    }

    /**
     * {@link #validate()}, then the deployment's rules of where {@code play_audio} and {@code http_api_call} targets
     * may reach.
     *
     * @throws InvalidValueException naming the first field that breaks a rule
     */
    public IvrMenuOption validate(IvrTargetPolicy policy) {
        return policy.check(validate());
    }
}
