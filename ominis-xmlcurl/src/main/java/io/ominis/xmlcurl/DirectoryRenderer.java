package io.ominis.xmlcurl;

import com.fasterxml.jackson.databind.JsonNode;
import io.ominis.core.directory.A1Hash;
import io.ominis.core.directory.Extension;
import io.ominis.core.directory.ExtensionStatus;
import io.ominis.core.directory.SipUser;
import io.ominis.xmlcurl.internal.FsExpression;
import io.ominis.xmlcurl.internal.FsXmlOutput;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Renders the directory document for one user: {@code <section name="directory"><domain name="{requested domain}">}
 * with the domain's {@code dial-string} and the user under {@code <groups><group name="default"><users>}.
 *
 * <p><b>Refusals.</b> Only an active extension with a credential for the request's realm is rendered (a non-blank
 * password, or a digest hash kept for that realm when the password is not kept); otherwise the not-found document
 * comes back. FreeSWITCH's {@code allow-empty-password} defaults to true, so a user without a password would be
 * accepted with any credentials; for the same reason every rendered user also carries
 * {@code allow-empty-password=false}.
 *
 * <p><b>Params</b>: {@code password} or {@code a1-hash} (see {@link DirectoryOptions.PasswordMode}),
 * {@code allow-empty-password=false}, then the voicemail params below. <b>Variables</b>: {@code user_context},
 * {@code effective_caller_id_name} (display name, else the number), {@code effective_caller_id_number},
 * {@code accountcode} (the department, so CDRs can be grouped by it; a {@code features.accountcode} wins), then the
 * forwarding and feature variables below.
 *
 * <table>
 * <caption>JSON columns to FreeSWITCH</caption>
 * <tr><th>JSON member</th><th>rendered as</th></tr>
 * <tr><td>call_forwarding.enabled</td><td>must be {@code true} for any forwarding variable to be rendered</td></tr>
 * <tr><td>call_forwarding.destination</td><td>variable {@code call_forward_all}</td></tr>
 * <tr><td>call_forwarding.on_busy</td><td>variable {@code call_forward_busy}</td></tr>
 * <tr><td>call_forwarding.on_no_answer</td><td>variable {@code call_forward_no_answer}</td></tr>
 * <tr><td>voicemail.enabled</td><td>param {@code vm-enabled} ({@code true}/{@code false})</td></tr>
 * <tr><td>voicemail.password</td><td>param {@code vm-password}</td></tr>
 * <tr><td>voicemail.email</td><td>param {@code vm-mailto}; without it, the extension's email when
 * {@code email_notify} is true</td></tr>
 * <tr><td>voicemail.email_notify</td><td>param {@code vm-email-all-messages}</td></tr>
 * <tr><td>voicemail.attach_file</td><td>param {@code vm-attach-file}</td></tr>
 * <tr><td>voicemail.keep_local_after_email</td><td>param {@code vm-keep-local-after-email}</td></tr>
 * <tr><td>features.{name} (string, number, boolean)</td><td>variable {@code {name}} for the allow-list
 * {@link #FEATURE_VARIABLES}, else {@code ominis_{name}}</td></tr>
 * </table>
 *
 * <p>FreeSWITCH has no built-in call forwarding: the {@code call_forward_*} variables are for the dialplan to read.
 * Forwarding destinations must look like a number or {@code user@host}, because dialplans splice them into bridge
 * strings. Members of the wrong JSON type, unknown members and feature names outside {@code [A-Za-z0-9_]{1,64}} are
 * left out and reported in {@link XmlDocument#warnings()}. Features are rendered in name order so output is stable.
 */
public final class DirectoryRenderer {

    /** Feature names rendered under their own name because they are standard FreeSWITCH user variables. */
    public static final Set<String> FEATURE_VARIABLES = Set.of("accountcode", "callgroup", "outbound_caller_id_name",
            "outbound_caller_id_number", "toll_allow");
    /** The prefix of every other feature variable, so features can never override a FreeSWITCH variable. */
    public static final String FEATURE_PREFIX = "ominis_";

    private static final Pattern FEATURE_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Pattern DESTINATION = Pattern.compile("[A-Za-z0-9+*#][A-Za-z0-9+*#._-]{0,63}(@[A-Za-z0-9.-]{1,253})?");
    private static final Map<String, String> FORWARDS = orderedMap(
            "destination", "call_forward_all", "on_busy", "call_forward_busy", "on_no_answer", "call_forward_no_answer");
    private static final Map<String, String> VOICEMAIL_FLAGS = orderedMap("enabled", "vm-enabled",
            "email_notify", "vm-email-all-messages", "attach_file", "vm-attach-file",
            "keep_local_after_email", "vm-keep-local-after-email");

    private final DirectoryOptions options;
    private final FsXmlOutput output = new FsXmlOutput();
    private final NotFoundDocument notFound = new NotFoundDocument();

    /** A renderer with {@link DirectoryOptions#defaults()}. */
    public DirectoryRenderer() {
        this(DirectoryOptions.defaults());
    }

    /** A renderer with the given options. */
    public DirectoryRenderer(DirectoryOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Renders {@code extension} as the answer to {@code lookup}.
     *
     * @param extension       the stored extension whose number equals the requested user; null when there is none
     * @param cacheableMillis how long FreeSWITCH may cache the user ({@code cacheable} attribute); 0 or less for not
     *                        at all. Callers add their own jitter so that a cluster does not expire all users at once.
     * @return the user document, or the not-found document with the reason
     */
    public XmlDocument render(Lookup.DirectoryUser lookup, Extension extension, long cacheableMillis) {
        return render(lookup, extension == null ? null : new SipUser(extension, Map.of()), cacheableMillis);
    }

    /**
     * Renders {@code user} as the answer to {@code lookup}: with its password (as {@code password}, or as an
     * {@code a1-hash} computed for the request's realm in {@link DirectoryOptions.PasswordMode#A1_HASH}), else with
     * the digest hash kept for the request's realm.
     *
     * @param user            the stored extension and its hashes; null when there is none
     * @param cacheableMillis as {@link #render(Lookup.DirectoryUser, Extension, long)}
     * @return the user document, or the not-found document with the reason
     */
    public XmlDocument render(Lookup.DirectoryUser lookup, SipUser user, long cacheableMillis) {
        Objects.requireNonNull(lookup, "lookup");
        Extension extension = user == null ? null : user.extension();
        NotFoundReason refusal = refusal(lookup, extension);
        String keptHash = null;
        if (refusal == null && blank(extension.password())) {
            keptHash = user.a1HashFor(lookup.realm());
            if (keptHash == null) {
                refusal = user.a1Hashes().isEmpty() ? NotFoundReason.EMPTY_PASSWORD : NotFoundReason.NO_HASH_FOR_REALM;
            }
        }
        if (refusal != null) {
            return notFound.render(refusal);
        }
        List<String> warnings = new ArrayList<>();
        Map<String, String> params = params(lookup, extension, keptHash, warnings);
        Map<String, String> variables = variables(extension, warnings);
        byte[] xml = output.document(w -> {
            w.section("directory").start("domain").attribute("name", lookup.domain());
            w.start("params").start("param").attribute("name", "dial-string")
                    .attribute("value", FsExpression.DIAL_STRING).end().end();
            w.start("groups").start("group").attribute("name", "default").start("users");
            w.start("user").attribute("id", extension.number());
            if (cacheableMillis > 0) {
                w.attribute("cacheable", cacheableMillis);
            }
            w.start("params");
            for (Map.Entry<String, String> p : params.entrySet()) {
                w.param(p.getKey(), p.getValue());
            }
            w.end().start("variables");
            for (Map.Entry<String, String> v : variables.entrySet()) {
                w.variable(v.getKey(), v.getValue());
            }
            w.end(); // variables
            w.end().end().end().end(); // user, users, group, groups
            w.end().end(); // domain, section
        });
        return new XmlDocument(xml, null, warnings);
    }

    private static NotFoundReason refusal(Lookup.DirectoryUser lookup, Extension extension) {
        if (extension == null || extension.number() == null || !extension.number().equalsIgnoreCase(lookup.user())) {
            return NotFoundReason.UNKNOWN_USER;
        }
        if (extension.status() == ExtensionStatus.SUSPENDED) {
            return NotFoundReason.SUSPENDED_USER;
        }
        if (extension.status() != ExtensionStatus.ACTIVE) {
            return NotFoundReason.INACTIVE_USER;
        }
        return null;
    }

    private static boolean blank(String password) {
        return password == null || password.isBlank();
    }

    private Map<String, String> params(Lookup.DirectoryUser lookup, Extension extension, String keptHash,
            List<String> warnings) {
        Map<String, String> params = new LinkedHashMap<>();
        if (keptHash != null) {
            params.put("a1-hash", keptHash);
        } else if (options.passwordMode() == DirectoryOptions.PasswordMode.A1_HASH) {
            // The digest username is what the phone hashed, in the case it used.
            params.put("a1-hash", A1Hash.of(lookup.user(), lookup.realm(), extension.password()));
        } else {
            params.put("password", extension.password());
        }
        params.put("allow-empty-password", "false");
        JsonNode vm = objectOrNull("voicemail_json", extension.voicemail(), warnings);
        if (vm != null) {
            voicemail(vm, extension, params, warnings);
        }
        return params;
    }

    private static void voicemail(JsonNode vm, Extension extension, Map<String, String> params, List<String> warnings) {
        String password = scalarText(vm, "password", "voicemail_json", warnings);
        if (password != null) {
            params.put("vm-password", password);
        }
        String email = scalarText(vm, "email", "voicemail_json", warnings);
        JsonNode notify = vm.get("email_notify");
        if (email == null && notify != null && notify.isBoolean() && notify.booleanValue()) {
            email = extension.email();
        }
        if (email != null) {
            params.put("vm-mailto", email);
        }
        for (Map.Entry<String, String> flag : VOICEMAIL_FLAGS.entrySet()) {
            JsonNode value = vm.get(flag.getKey());
            if (value == null || value.isNull()) {
                continue;
            }
            if (value.isBoolean()) {
                params.put(flag.getValue(), Boolean.toString(value.booleanValue()));
            } else {
                warnings.add("voicemail_json." + flag.getKey() + ": must be true or false; left out");
            }
        }
        unknownMembers(vm, "voicemail_json", Set.of("password", "email", "enabled", "email_notify", "attach_file",
                "keep_local_after_email"), warnings);
    }

    private Map<String, String> variables(Extension extension, List<String> warnings) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("user_context", options.userContext());
        String display = extension.displayName();
        variables.put("effective_caller_id_name", display == null || display.isBlank() ? extension.number() : display);
        variables.put("effective_caller_id_number", extension.number());
        String department = extension.department();
        if (department != null && !department.isBlank()) {
            variables.put("accountcode", department);
        }
        JsonNode forwarding = objectOrNull("call_forwarding_json", extension.callForwarding(), warnings);
        if (forwarding != null) {
            forwarding(forwarding, variables, warnings);
        }
        JsonNode features = objectOrNull("features_json", extension.features(), warnings);
        if (features != null) {
            features(features, variables, warnings);
        }
        return variables;
    }

    private static void forwarding(JsonNode forwarding, Map<String, String> variables, List<String> warnings) {
        unknownMembers(forwarding, "call_forwarding_json", Set.of("enabled", "destination", "on_busy", "on_no_answer"),
                warnings);
        JsonNode enabled = forwarding.get("enabled");
        if (enabled == null || !enabled.isBoolean() || !enabled.booleanValue()) {
            return;
        }
        for (Map.Entry<String, String> forward : FORWARDS.entrySet()) {
            String destination = scalarText(forwarding, forward.getKey(), "call_forwarding_json", warnings);
            if (destination == null) {
                continue;
            }
            if (DESTINATION.matcher(destination).matches()) {
                variables.put(forward.getValue(), destination);
            } else {
                warnings.add("call_forwarding_json." + forward.getKey() + ": not a number or user@host; left out");
            }
        }
    }

    private static void features(JsonNode features, Map<String, String> variables, List<String> warnings) {
        Map<String, JsonNode> sorted = new TreeMap<>();
        features.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
        for (Map.Entry<String, JsonNode> feature : sorted.entrySet()) {
            String name = feature.getKey();
            if (!FEATURE_NAME.matcher(name).matches()) {
                warnings.add("features_json: member name is not [A-Za-z0-9_]{1,64}; left out");
                continue;
            }
            String value = scalarText(features, name, "features_json", warnings);
            if (value != null) {
                variables.put(FEATURE_VARIABLES.contains(name) ? name : FEATURE_PREFIX + name, value);
            }
        }
    }

    /** Text of a string, number or boolean member; null (with a warning for other types) otherwise. */
    private static String scalarText(JsonNode object, String member, String column, List<String> warnings) {
        JsonNode value = object.get(member);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual() || value.isNumber() || value.isBoolean()) {
            return value.asText();
        }
        warnings.add(column + "." + member + ": must be a string, number or boolean; left out");
        return null;
    }

    private static JsonNode objectOrNull(String column, JsonNode node, List<String> warnings) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (!node.isObject()) {
            warnings.add(column + ": not a JSON object; left out");
            return null;
        }
        return node;
    }

    private static void unknownMembers(JsonNode object, String column, Set<String> known, List<String> warnings) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                warnings.add(column + ": unknown member ignored");
            }
        }
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
