package io.ominis.core.directory;

import io.ominis.core.ConfigurationException;
import io.ominis.core.InvalidValueException;
import io.ominis.core.config.SettingsReader;
import java.util.Map;

/**
 * The least a SIP password must be: SIP digest authentication is offline-guessable from one captured REGISTER, and a
 * guessed password makes calls on the owner's account. Counted in characters (code points); the classes are lower
 * case, upper case, digits and everything else.
 *
 * @param minLength  fewest characters ({@code OMINIS_SIP_PASSWORD_MIN_LENGTH}, default 12)
 * @param minClasses fewest of the four classes present ({@code OMINIS_SIP_PASSWORD_MIN_CLASSES}, default 3)
 */
public record PasswordPolicy(int minLength, int minClasses) {

    /** 12 characters from at least 3 classes: {@code Secret-1101-pass} passes, {@code 1234}, {@code secret} do not. */
    public static final PasswordPolicy DEFAULT = new PasswordPolicy(12, 3);

    /**
     * Checks the bounds, with the messages of {@link #fromEnvironment}.
     *
     * @throws ConfigurationException naming the environment variable of the wrong field
     */
    public PasswordPolicy {
        SettingsReader.requireRange("OMINIS_SIP_PASSWORD_MIN_LENGTH", minLength, 1, 255);
        SettingsReader.requireRange("OMINIS_SIP_PASSWORD_MIN_CLASSES", minClasses, 1, 4);
    }

    /**
     * Reads {@code OMINIS_SIP_PASSWORD_MIN_LENGTH} and {@code OMINIS_SIP_PASSWORD_MIN_CLASSES}.
     *
     * @throws ConfigurationException naming the wrong setting
     */
    public static PasswordPolicy fromEnvironment(Map<String, String> environment) {
        SettingsReader env = new SettingsReader(environment);
        return new PasswordPolicy(env.integer("OMINIS_SIP_PASSWORD_MIN_LENGTH", DEFAULT.minLength, 1, 255),
                env.integer("OMINIS_SIP_PASSWORD_MIN_CLASSES", DEFAULT.minClasses, 1, 4));
    }

    /** Null when {@code password} meets the policy; otherwise what it lacks, in words (never quoting it). */
    public String shortfall(String password) {
        int length = password == null ? 0 : password.codePointCount(0, password.length());
        if (length < minLength) {
            return "must be at least " + minLength + " characters, got " + length;
        }
        boolean lower = false;
        boolean upper = false;
        boolean digit = false;
        boolean other = false;
        for (int cp : password.codePoints().toArray()) {
            if (Character.isLowerCase(cp)) {
                lower = true;
            } else if (Character.isUpperCase(cp)) {
                upper = true;
            } else if (Character.isDigit(cp)) {
                digit = true;
            } else {
                other = true;
            }
        }
        int classes = (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
        if (classes < minClasses) {
            return "must mix at least " + minClasses + " of lower case, upper case, digits and other characters, got "
                    + classes;
        }
        return null;
    }

    /**
     * Requires {@code password} to meet the policy.
     *
     * @throws InvalidValueException naming {@code field}
     */
    public String check(String field, String password) {
        String shortfall = shortfall(password);
        if (shortfall != null) {
            throw new InvalidValueException(field, shortfall);
        }
        return password;
    }
}
