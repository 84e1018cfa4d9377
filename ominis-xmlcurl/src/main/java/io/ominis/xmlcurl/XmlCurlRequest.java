package io.ominis.xmlcurl;

import io.ominis.core.directory.Extension;
import io.ominis.core.ivr.Ivr;
import io.ominis.core.ivr.IvrActionType;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One mod_xml_curl request: the form (POST) or query (GET) parameters FreeSWITCH sends, with typed accessors for the
 * fields Ominis uses. Building one never fails; whether the request is well-formed and what it asks for is answered by
 * {@link #lookup()}, so a server can always reply 200 with a document instead of letting an error reach FreeSWITCH.
 *
 * <p>Parameter names are case-sensitive, as FreeSWITCH spells them ({@code Menu-Name}, {@code CC-Queue}). When a name
 * occurs more than once the first value wins: FreeSWITCH sends each header once, so a repeat can only come from
 * something in between, and the five base fields come first.
 */
public final class XmlCurlRequest {

    /** The fields FreeSWITCH always sends, in its order; lookups such as {@code acl.conf} send nothing else. */
    public static final List<String> BASE_FIELDS = List.of("hostname", "section", "tag_name", "key_name", "key_value");

    private static final String ACL_CONF = "acl.conf";
    private static final String IVR_CONF = "ivr.conf";
    private static final String CALLCENTER_CONF = "callcenter.conf";

    /** The form as received, when the request was parsed from one; its fields are found in it on demand. */
    private final String form;
    /** Every parameter; for a parsed form built only when asked for, since a lookup reads a handful of 45 fields. */
    private volatile Map<String, String> parameters;

    private XmlCurlRequest(Map<String, String> parameters) {
        this.form = null;
        this.parameters = Collections.unmodifiableMap(parameters);
    }

    private XmlCurlRequest(String form) {
        this.form = form;
    }

    /**
     * A request from parameters as a web framework hands them over (name to values); null or empty value lists count
     * as absent.
     */
    public static XmlCurlRequest of(Map<String, ? extends List<String>> parameters) {
        Objects.requireNonNull(parameters, "parameters");
        Map<String, String> first = new LinkedHashMap<>();
        parameters.forEach((name, values) -> {
            if (name != null && values != null && !values.isEmpty() && values.get(0) != null) {
                first.putIfAbsent(name, values.get(0));
            }
        });
        return new XmlCurlRequest(first);
    }

    /** A request from single-valued parameters, e.g. in tests. */
    public static XmlCurlRequest ofSingle(Map<String, String> parameters) {
        Objects.requireNonNull(parameters, "parameters");
        Map<String, String> copy = new LinkedHashMap<>();
        parameters.forEach((name, value) -> {
            if (name != null && value != null) {
                copy.putIfAbsent(name, value);
            }
        });
        return new XmlCurlRequest(copy);
    }

    /**
     * Parses an {@code application/x-www-form-urlencoded} body or a query string exactly as mod_xml_curl writes it.
     * A malformed percent escape keeps the raw text instead of failing.
     */
    public static XmlCurlRequest parse(String form) {
        return new XmlCurlRequest(form == null ? "" : form);
    }

    /** Every field of {@code form}, first value per name, in order. */
    private static Map<String, String> fields(String form) {
        // Sized for a sip_auth form (about 45 fields), so that the map is not rebuilt while it fills.
        Map<String, String> values = new LinkedHashMap<>(96);
        eachField(form, (start, nameEnd, end) -> {
            values.putIfAbsent(decode(form.substring(start, nameEnd)),
                    nameEnd == end ? "" : decode(form.substring(nameEnd + 1, end)));
            return false;
        });
        return values;
    }

    /**
     * The first value of {@code name} in {@code form}, found without splitting the rest (a name without {@code =} has
     * the empty value), or null.
     */
    private static String field(String form, String name) {
        String[] found = new String[1];
        eachField(form, (start, nameEnd, end) -> {
            if (!named(form, start, nameEnd, name)) {
                return false;
            }
            found[0] = nameEnd == end ? "" : decode(form.substring(nameEnd + 1, end));
            return true;
        });
        return found[0];
    }

    /** A field of a form: its name from {@code start} to {@code nameEnd}, its value (if any) up to {@code end}. */
    private interface FieldVisitor {
        /** @return true to stop */
        boolean visit(int start, int nameEnd, int end);
    }

    /**
     * Visits the non-empty {@code &}-separated fields of {@code form} in order, with one pass of indexOf instead of
     * split("&") and substrings of substrings: this runs for every SIP request a FreeSWITCH cluster authenticates.
     */
    private static void eachField(String form, FieldVisitor visitor) {
        int length = form.length();
        int start = 0;
        while (start < length) {
            int amp = form.indexOf('&', start);
            int end = amp < 0 ? length : amp;
            if (end > start) {
                int eq = form.indexOf('=', start);
                if (visitor.visit(start, eq < 0 || eq > end ? end : eq, end)) {
                    return;
                }
            }
            start = end + 1;
        }
    }

    /** Whether {@code form}'s text from {@code start} to {@code end}, decoded, is {@code name}. */
    private static boolean named(String form, int start, int end, String name) {
        for (int i = start; i < end; i++) {
            char c = form.charAt(i);
            if (c == '%' || c == '+') {
                return decode(form.substring(start, end)).equals(name);
            }
        }
        return end - start == name.length() && form.regionMatches(start, name, 0, name.length());
    }

    private static String decode(String text) {
        // Most of FreeSWITCH's fields need no decoding; URLDecoder would copy them only to return the same text.
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return text;
        }
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    /** Every parameter, first value per name, in the order received. */
    public Map<String, String> parameters() {
        Map<String, String> all = parameters;
        if (all == null) {
            all = Collections.unmodifiableMap(fields(form));
            parameters = all;
        }
        return all;
    }

    /** The value of parameter {@code name}, or empty when it was not sent. */
    public Optional<String> get(String name) {
        return Optional.ofNullable(value(name));
    }

    private String value(String name) {
        Map<String, String> all = parameters;
        return all != null ? all.get(name) : field(form, name);
    }

    /** The base fields that were not sent at all (an empty value counts as sent: dialplan lookups send them empty). */
    public List<String> missingBaseFields() {
        List<String> missing = new ArrayList<>();
        for (String field : BASE_FIELDS) {
            if (value(field) == null) {
                missing.add(field);
            }
        }
        return missing;
    }

    /** The switchname of the asking FreeSWITCH; empty when not sent. */
    public String hostname() {
        return base("hostname");
    }

    /** The section name as sent; empty when not sent. */
    public String sectionName() {
        return base("section");
    }

    /** The section, or empty when it was not sent or is not one FreeSWITCH defines. */
    public Optional<Section> section() {
        return Section.fromWire(sectionName());
    }

    /** The element FreeSWITCH will look for under the section ({@code domain}, {@code configuration}). */
    public String tagName() {
        return base("tag_name");
    }

    /** The attribute of that element it will match ({@code name}). */
    public String keyName() {
        return base("key_name");
    }

    /** The value that attribute must have: the domain, or the configuration file name. */
    public String keyValue() {
        return base("key_value");
    }

    /** What the directory lookup is for: {@code sip_auth}, {@code user_call}, {@code voicemail-lookup}, … */
    public Optional<String> action() {
        return get("action");
    }

    /** Set on directory lookups of a whole domain: {@code gateways}, {@code network-list}, {@code publish-vm}. */
    public Optional<String> purpose() {
        return get("purpose");
    }

    /** The user of a directory lookup (for sip_auth: the digest username). */
    public Optional<String> user() {
        return get("user");
    }

    /** The domain parameter of a directory lookup. */
    public Optional<String> domain() {
        return get("domain");
    }

    /** The digest realm of a sip_auth lookup. */
    public Optional<String> sipAuthRealm() {
        return get("sip_auth_realm");
    }

    /** The digest username of a sip_auth lookup. */
    public Optional<String> sipAuthUsername() {
        return get("sip_auth_username");
    }

    /** The sofia profile a sip_auth lookup came through. */
    public Optional<String> sipProfile() {
        return get("sip_profile");
    }

    /** The source IP address of a sip_auth lookup. */
    public Optional<String> ip() {
        return get("ip");
    }

    /** The menu an {@code ivr.conf} lookup is for. */
    public Optional<String> menuName() {
        return get("Menu-Name");
    }

    /** The queue a {@code callcenter.conf} lookup is for (absent at module load). */
    public Optional<String> ccQueue() {
        return get("CC-Queue");
    }

    /** The sofia profile a {@code sofia.conf} lookup is for. */
    public Optional<String> profile() {
        return get("profile");
    }

    /** Whether this asks for one user of the directory, i.e. {@link #lookup()} is a {@link Lookup.DirectoryUser}. */
    public boolean isDirectoryUserLookup() {
        return lookup() instanceof Lookup.DirectoryUser;
    }

    /** Classifies the request; never throws, whatever was sent. */
    public Lookup lookup() {
        List<String> missing = missingBaseFields();
        if (!missing.isEmpty()) {
            return new Lookup.Unserved(NotFoundReason.MALFORMED_REQUEST, "missing " + String.join(", ", missing));
        }
        Optional<Section> section = section();
        if (section.isEmpty()) {
            return new Lookup.Unserved(NotFoundReason.UNSUPPORTED_SECTION, "unknown section '" + sectionName() + "'");
        }
        switch (section.get()) {
            case DIRECTORY:
                return directoryLookup();
            case CONFIGURATION:
                return configurationLookup();
            default:
                return new Lookup.Unserved(NotFoundReason.UNSUPPORTED_SECTION, "section " + sectionName());
        }
    }

    private Lookup directoryLookup() {
        if (!"domain".equals(tagName()) || !"name".equals(keyName())) {
            return new Lookup.Unserved(NotFoundReason.UNSUPPORTED_LOOKUP,
                    "directory tag_name=" + tagName() + " key_name=" + keyName());
        }
        if (keyValue().isBlank()) {
            return new Lookup.Unserved(NotFoundReason.INVALID_PARAMETER, "key_value (the domain) is empty");
        }
        Optional<String> purpose = purpose().filter(p -> !p.isBlank());
        if (purpose.isPresent()) {
            return new Lookup.Unserved(NotFoundReason.UNSUPPORTED_LOOKUP, "directory purpose=" + purpose.get());
        }
        Optional<String> user = user().filter(u -> !u.isBlank());
        if (user.isEmpty()) {
            return new Lookup.Unserved(NotFoundReason.UNSUPPORTED_LOOKUP, "directory lookup without user");
        }
        if (!Extension.NUMBER.matcher(user.get()).matches()) {
            // Cannot be stored, so it cannot exist: answer without a database round trip.
            return new Lookup.Unserved(NotFoundReason.UNKNOWN_USER, "user is not an extension number");
        }
        String realm = sipAuthRealm().filter(r -> !r.isBlank()).orElse(keyValue());
        return new Lookup.DirectoryUser(user.get(), keyValue(), realm, action().orElse(null));
    }

    private Lookup configurationLookup() {
        if (!"configuration".equals(tagName()) || !"name".equals(keyName())) {
            return new Lookup.Unserved(NotFoundReason.UNSUPPORTED_LOOKUP,
                    "configuration tag_name=" + tagName() + " key_name=" + keyName());
        }
        String file = keyValue();
        if (ACL_CONF.equalsIgnoreCase(file)) {
            return new Lookup.AclConf();
        }
        if (IVR_CONF.equalsIgnoreCase(file)) {
            return ivrLookup();
        }
        if (CALLCENTER_CONF.equalsIgnoreCase(file)) {
            Optional<String> queue = ccQueue().filter(q -> !q.isBlank());
            if (queue.isPresent() && !IvrActionType.QUEUE_NAME.matcher(queue.get()).matches()) {
                return new Lookup.Unserved(NotFoundReason.INVALID_PARAMETER, "CC-Queue is not a queue name");
            }
            return new Lookup.CallcenterConf(queue.orElse(null));
        }
        return new Lookup.Unserved(NotFoundReason.UNSUPPORTED_CONFIGURATION, "configuration " + file);
    }

    private Lookup ivrLookup() {
        Optional<String> menuName = menuName().filter(m -> !m.isBlank());
        if (menuName.isEmpty()) {
            return new Lookup.Unserved(NotFoundReason.INVALID_PARAMETER, "ivr.conf without Menu-Name");
        }
        String name = menuName.get();
        int slash = name.indexOf(IvrRenderer.MENU_SEPARATOR);
        String ivr = slash < 0 ? name : name.substring(0, slash);
        boolean menuOk = slash < 0 || IvrActionType.MENU_ID.matcher(name.substring(slash + 1)).matches();
        if (!Ivr.NAME.matcher(ivr).matches() || !menuOk) {
            return new Lookup.Unserved(NotFoundReason.INVALID_PARAMETER, "Menu-Name is not ivr or ivr"
                    + IvrRenderer.MENU_SEPARATOR + "menu_id");
        }
        return new Lookup.IvrConf(name, ivr);
    }

    private String base(String name) {
        String value = value(name);
        return value == null ? "" : value;
    }

    @Override
    public String toString() {
        // Never the whole map: sip_auth requests carry digest responses and nonces.
        return "XmlCurlRequest[section=" + sectionName() + ", tag_name=" + tagName() + ", key_name=" + keyName()
                + ", key_value=" + keyValue() + ", action=" + action().orElse("") + "]";
    }
}
