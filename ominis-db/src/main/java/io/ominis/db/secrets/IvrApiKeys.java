package io.ominis.db.secrets;

import io.ominis.core.InvalidValueException;
import io.ominis.core.UnavailableException;
import javax.crypto.SecretKey;

/**
 * How the OpenAI key of an IVR is kept in {@code ivrs.openai_api_key}: sealed by {@link SecretBox} under
 * {@code OMINIS_SECRET_KEY}, bound to the IVR's name (a value copied onto another IVR's row does not open), with a
 * masked hint such as {@code sk-…abcd} as the envelope's public label.
 *
 * <p>The hint is computed once, when the key is written, and stored in clear inside the envelope, so that listing
 * IVRs needs neither the secret key nor a decryption per row, and still works after {@code OMINIS_SECRET_KEY} was
 * lost or rotated. It reveals the key's first 3 characters (the well-known {@code sk-} prefix) and last 4, as the
 * OpenAI dashboard itself does; keys shorter than {@link #MIN_LENGTH} are refused so the hint never shows most of one.
 *
 * <p>The TTS module opens keys with {@link #open}.
 */
public final class IvrApiKeys {

    /** The JSON field and column the key travels in. */
    public static final String FIELD = "openai_api_key";
    /** Shortest key accepted; real OpenAI keys are 50 characters or more. */
    public static final int MIN_LENGTH = 20;
    /** Longest key accepted, so that the sealed value stays well inside the column's rule (4096 characters). */
    public static final int MAX_LENGTH = 512;

    private final SecretBox box;

    private IvrApiKeys(SecretBox box) {
        this.box = box;
    }

    /** Keys sealed under {@code key}; with a null key, storing a key is refused and nothing else changes. */
    public static IvrApiKeys of(SecretKey key) {
        return new IvrApiKeys(key == null ? null : new SecretBox(key));
    }

    /** Whether keys can be stored and opened (a secret key is configured). */
    public boolean available() {
        return box != null;
    }

    /**
     * Checks {@code apiKey} and seals it for the IVR {@code ivrName}.
     *
     * @throws InvalidValueException naming {@code openai_api_key} when the key is malformed or no secret key is set
     */
    public String seal(String ivrName, String apiKey) {
        int length = apiKey.length();
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new InvalidValueException(FIELD, "must be " + MIN_LENGTH + " to " + MAX_LENGTH
                    + " characters, got " + length);
        }
        // never quote the key back: error texts reach logs and clients' consoles
        if (!apiKey.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            throw new InvalidValueException(FIELD, "must be printable ASCII without spaces");
        }
        if (box == null) {
            throw new InvalidValueException(FIELD, "set OMINIS_SECRET_KEY to store keys (this server has none, "
                    + "so it cannot encrypt them)");
        }
        return box.seal(apiKey, context(ivrName), hintOf(apiKey));
    }

    /**
     * The plain key stored for the IVR {@code ivrName}.
     *
     * @throws UnavailableException          when no secret key is configured
     * @throws SecretBoxException.Malformed   when {@code stored} was not written sealed (e.g. plain text put in by hand)
     * @throws SecretBoxException.Unauthentic when it was sealed under another secret key or for another IVR
     */
    public String open(String ivrName, String stored) {
        if (box == null) {
            throw new UnavailableException("set OMINIS_SECRET_KEY to read stored OpenAI keys");
        }
        return box.open(stored, context(ivrName));
    }

    /**
     * {@link #open}, for a caller that needs the key now: a stored key that does not open under this server's secret
     * key (rotated {@code OMINIS_SECRET_KEY}, a row copied from another IVR, plain text put in by hand) is the
     * deployment's problem, not the client's, and is reported as unavailable naming {@code OMINIS_SECRET_KEY}.
     *
     * @throws UnavailableException when no secret key is configured or the stored key does not open
     */
    public String openOrUnavailable(String ivrName, String stored) {
        try {
            return open(ivrName, stored);
        } catch (SecretBoxException e) {
            throw new UnavailableException("the stored openai_api_key of IVR '" + ivrName + "' cannot be decrypted "
                    + "with this server's OMINIS_SECRET_KEY (the key was rotated, or the row was copied from another "
                    + "IVR): set the OMINIS_SECRET_KEY it was stored with, or store the IVR's key again");
        }
    }

    /**
     * The names of the IVRs among {@code ivrs} whose stored key does not open under this server's secret key (all
     * that have one, when none is configured): for the start-up check.
     */
    public java.util.List<String> unreadable(java.util.List<io.ominis.core.ivr.Ivr> ivrs) {
        return ivrs.stream().filter(i -> i.openaiApiKey() != null).filter(i -> {
            try {
                open(i.name(), i.openaiApiKey());
                return false;
            } catch (SecretBoxException | UnavailableException e) {
                return true;
            }
        }).map(io.ominis.core.ivr.Ivr::name).toList();
    }

    /**
     * The start-up check of every stored IVR OpenAI key: one line counting those that do not open under this secret
     * key (warming their prompts answers 503 until fixed), naming up to ten IVRs, or null when every key opens.
     */
    public String unreadableReport(io.ominis.db.IvrDao ivrs) {
        java.util.List<String> names = new java.util.ArrayList<>();
        io.ominis.db.IvrDao.Query query = io.ominis.db.IvrDao.Query.first(io.ominis.db.IvrDao.MAX_LIMIT);
        while (true) {
            io.ominis.core.Page<io.ominis.core.ivr.Ivr, String> page = ivrs.list(query);
            names.addAll(unreadable(page.items()));
            if (!page.hasNext()) {
                break;
            }
            query = new io.ominis.db.IvrDao.Query(null, page.next(), io.ominis.db.IvrDao.MAX_LIMIT);
        }
        if (names.isEmpty()) {
            return null;
        }
        return names.size() + " IVR OpenAI key(s) cannot be decrypted with "
                + (box == null ? "no OMINIS_SECRET_KEY set" : "this OMINIS_SECRET_KEY")
                + " (rotated key or copied rows); warming their prompts answers 503 until the key is set or stored "
                + "again: " + (names.size() > 10 ? names.subList(0, 10) + " …" : names);
    }

    /**
     * The masked hint of a stored key, e.g. {@code sk-…abcd}; null when there is no key or it was not stored by this
     * class (so no hint was recorded).
     */
    public static String hint(String stored) {
        if (stored == null || !SecretBox.isSealed(stored)) {
            return null;
        }
        return SecretBox.label(stored);
    }

    /** The first 3 and last 4 characters of {@code apiKey} around an ellipsis. */
    static String hintOf(String apiKey) {
        return apiKey.substring(0, 3) + "…" + apiKey.substring(apiKey.length() - 4);
    }

    private static String context(String ivrName) {
        return "ivrs." + FIELD + ":" + ivrName;
    }
}
