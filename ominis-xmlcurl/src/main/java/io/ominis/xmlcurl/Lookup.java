package io.ominis.xmlcurl;

import java.util.Objects;

/**
 * What a mod_xml_curl request asks for, as far as Ominis serves it. Produced by {@link XmlCurlRequest#lookup()}; every
 * request maps to exactly one of these, and anything not served is an {@link Unserved} carrying the reason.
 */
public sealed interface Lookup
        permits Lookup.DirectoryUser, Lookup.AclConf, Lookup.IvrConf, Lookup.CallcenterConf, Lookup.Unserved {

    /**
     * A directory lookup of one user, e.g. for SIP digest authentication ({@code action=sip_auth}) or for bridging to
     * {@code user/…} ({@code action=user_call}).
     *
     * @param user   the requested user, already checked against the extension-number rule
     * @param domain the requested domain ({@code key_value}) exactly as sent; the answer's {@code <domain name>} must
     *               equal it
     * @param realm  the digest realm ({@code sip_auth_realm}, else the domain), which an {@code a1-hash} is computed for
     * @param action FreeSWITCH's {@code action} parameter; null when absent
     */
    record DirectoryUser(String user, String domain, String realm, String action) implements Lookup {
        /** Requires user, domain and realm. */
        public DirectoryUser {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(realm, "realm");
        }
    }

    /** {@code acl.conf}; FreeSWITCH sends nothing but the five base fields for it. */
    record AclConf() implements Lookup {
    }

    /**
     * {@code ivr.conf} for the menu FreeSWITCH is about to run.
     *
     * @param menuName the {@code Menu-Name} sent: an IVR name ({@code sales}) or one of its menus
     *                 ({@code sales/main_menu}); see {@link IvrRenderer} for the naming scheme
     * @param ivrName  the IVR the menu belongs to, i.e. the part of {@code menuName} before the first {@code /}
     */
    record IvrConf(String menuName, String ivrName) implements Lookup {
        /** Requires both names. */
        public IvrConf {
            Objects.requireNonNull(menuName, "menuName");
            Objects.requireNonNull(ivrName, "ivrName");
        }
    }

    /**
     * {@code callcenter.conf}, at module load (base fields only) or for {@code queue load}/{@code reload}.
     *
     * @param queue the {@code CC-Queue} sent; null at module load, when every queue is wanted
     */
    record CallcenterConf(String queue) implements Lookup {
    }

    /**
     * Anything we answer with the not-found document.
     *
     * @param detail a short explanation for logs, naming the field at fault
     */
    record Unserved(NotFoundReason reason, String detail) implements Lookup {
        /** Requires both. */
        public Unserved {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
