package io.ominis.core.acl;

import io.ominis.core.InvalidValueException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network in canonical text form ({@code 10.42.0.0/16}, {@code 2001:db8::/32}). Parsing is done by
 * hand so that nothing ever reaches a resolver, and refuses host bits beyond the prefix instead of guessing what was
 * meant.
 */
public final class Cidr {

    private static final String FIELD = "cidr";

    private final byte[] address;
    private final int prefix;

    private Cidr(byte[] address, int prefix) {
        this.address = address;
        this.prefix = prefix;
    }

    /**
     * Parses {@code a.b.c.d[/n]} or an IPv6 literal with an optional {@code /n}; a missing prefix means a single host.
     *
     * @throws InvalidValueException naming {@code cidr} when the text is not a network
     */
    public static Cidr parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidValueException(FIELD, "is required");
        }
        String s = text.strip();
        int slash = s.indexOf('/');
        String host = slash < 0 ? s : s.substring(0, slash);
        byte[] address = host.indexOf(':') >= 0 ? parseIpv6(host) : parseIpv4(host);
        if (address == null) {
            throw new InvalidValueException(FIELD, "must be an IPv4 or IPv6 network such as 10.0.0.0/8 or 2001:db8::/32, got '"
                    + shorten(text) + "'");
        }
        int max = address.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > max) {
                throw new InvalidValueException(FIELD, "prefix length must be 0 to " + max + ", got '" + shorten(p) + "'");
            }
            prefix = Integer.parseInt(p);
        }
        byte[] network = mask(address, prefix);
        if (!Arrays.equals(network, address)) {
            throw new InvalidValueException(FIELD, "'" + shorten(text) + "' has host bits set beyond /" + prefix
                    + "; did you mean " + new Cidr(network, prefix) + "?");
        }
        return new Cidr(address, prefix);
    }

    /** The canonical text of {@code text}, e.g. {@code 2001:DB8:0:0::1} becomes {@code 2001:db8::1/128}. */
    public static String normalize(String text) {
        return parse(text).toString();
    }

    /** Whether this is an IPv6 network. */
    public boolean ipv6() {
        return address.length == 16;
    }

    /** The prefix length in bits. */
    public int prefixLength() {
        return prefix;
    }

    /**
     * Whether the address literal (IPv4, IPv6, or IPv4-mapped IPv6 such as {@code ::ffff:10.0.0.1}) lies in this
     * network; false for anything that is not an address literal.
     */
    public boolean contains(String addressLiteral) {
        if (addressLiteral == null) {
            return false;
        }
        String s = addressLiteral.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        byte[] candidate = s.indexOf(':') >= 0 ? parseIpv6(s) : parseIpv4(s);
        if (candidate == null) {
            return false;
        }
        if (candidate.length == 16 && address.length == 4 && isV4Mapped(candidate)) {
            candidate = Arrays.copyOfRange(candidate, 12, 16);
        }
        return candidate.length == address.length && Arrays.equals(mask(candidate, prefix), address);
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int bit = prefix; bit < out.length * 8; bit++) {
            out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return out;
    }

    private static byte[] parseIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            // leading zeros are refused: some parsers read them as octal
            if (!isOctet(p) || Integer.parseInt(p) > 255) {
                return null;
            }
            out[i] = (byte) Integer.parseInt(p);
        }
        return out;
    }

    private static byte[] parseIpv6(String s) {
        if (s.length() < 2 || s.length() > 45 || !allOf(s, ":.")) {
            return null;
        }
        int doubleColon = s.indexOf("::");
        if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        String head = doubleColon >= 0 ? s.substring(0, doubleColon) : s;
        String tail = doubleColon >= 0 ? s.substring(doubleColon + 2) : "";
        // an embedded IPv4 address may only be the last 32 bits (RFC 4291 2.2), never before the "::"
        if (doubleColon >= 0 && head.indexOf('.') >= 0) {
            return null;
        }
        int[] headGroups = groups(head);
        int[] tailGroups = groups(tail);
        if (headGroups == null || tailGroups == null) {
            return null;
        }
        int total = headGroups.length + tailGroups.length;
        if (doubleColon < 0 ? total != 8 : total > 7) {
            return null;
        }
        int[] all = new int[8];
        System.arraycopy(headGroups, 0, all, 0, headGroups.length);
        System.arraycopy(tailGroups, 0, all, 8 - tailGroups.length, tailGroups.length);
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[2 * i] = (byte) (all[i] >>> 8);
            out[2 * i + 1] = (byte) all[i];
        }
        return out;
    }

    /** Splits colon-separated hex groups; a dotted IPv4 tail counts as two groups. */
    private static int[] groups(String s) {
        if (s.isEmpty()) {
            return new int[0];
        }
        String[] parts = s.split(":", -1);
        int[] out = new int[parts.length + 1];
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (i == parts.length - 1 && p.indexOf('.') >= 0) {
                byte[] v4 = parseIpv4(p);
                if (v4 == null) {
                    return null;
                }
                out[n++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                out[n++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
            } else if (!p.isEmpty() && p.length() <= 4 && allOf(p, "")) {
                out[n++] = Integer.parseInt(p, 16);
            } else {
                return null;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /*
     * Character checks written out rather than String.matches: every ACL and loopback check on the request path parses
     * the client's address, and matches compiles its pattern on each call.
     */

    /** {@code 0|[1-9][0-9]{0,2}}: leading zeros are refused, since some parsers read them as octal. */
    private static boolean isOctet(String p) {
        if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
            return false;
        }
        for (int i = 0; i < p.length(); i++) {
            if (p.charAt(i) < '0' || p.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Whether every character of {@code s} is an ASCII hex digit or one of {@code others}. */
    private static boolean allOf(String s, String others) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex && others.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String shorten(String s) {
        String one = s.replaceAll("\\p{Cntrl}", "?");
        return one.length() > 64 ? one.substring(0, 64) + "…" : one;
    }

    /** RFC 5952 text for IPv6 (lower case, longest zero run of two or more groups as {@code ::}). */
    @Override
    public String toString() {
        if (!ipv6()) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "."
                    + (address[3] & 0xff) + "/" + prefix;
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(g[i]));
        }
        return out.append('/').append(prefix).toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && prefix == c.prefix && Arrays.equals(address, c.address);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(address) + prefix;
    }
}
