package io.ominis.xmlcurl;

/**
 * Why a request was answered with the not-found document. The reason is for logs and metrics only: FreeSWITCH gets
 * the same bytes for every reason, so the answer does not tell a caller whether an extension exists but is disabled.
 */
public enum NotFoundReason {
    /** One of the five base fields (hostname, section, tag_name, key_name, key_value) is missing. */
    MALFORMED_REQUEST,
    /** A section we do not serve (dialplan, languages, chatplan, channels, or an unknown name). */
    UNSUPPORTED_SECTION,
    /** A lookup in a served section that we do not answer, e.g. a directory lookup for gateways or network lists. */
    UNSUPPORTED_LOOKUP,
    /** A configuration file other than acl.conf, ivr.conf and callcenter.conf. */
    UNSUPPORTED_CONFIGURATION,
    /** A parameter the lookup needs is missing or cannot name anything we store (e.g. a malformed Menu-Name). */
    INVALID_PARAMETER,
    /** No extension with the requested number. */
    UNKNOWN_USER,
    /** The extension exists but is inactive. */
    INACTIVE_USER,
    /** The extension exists but is suspended. */
    SUSPENDED_USER,
    /** The extension has an empty or blank password; FreeSWITCH would accept any credentials for it. */
    EMPTY_PASSWORD,
    /** The extension's password is not kept and no digest hash is kept for the requested realm. */
    NO_HASH_FOR_REALM,
    /** Domains are configured and the requested domain (or digest realm) is not one of them. */
    UNSERVED_DOMAIN,
    /** No IVR with the requested name, or it has no menus. */
    UNKNOWN_IVR,
    /** The database did not answer the lookup within its bound; the user may well exist. */
    LOOKUP_TIMEOUT,
    /** The lookup failed (the database refused or broke off); the user may well exist. */
    LOOKUP_FAILED
}
