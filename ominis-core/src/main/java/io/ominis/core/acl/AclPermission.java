package io.ominis.core.acl;

import io.ominis.core.WireValue;

/** Whether an ACL node lets matching addresses in or keeps them out ({@code <node type="allow|deny">}). */
public enum AclPermission implements WireValue {
    ALLOW("allow"),
    DENY("deny");

    private final String wire;

    AclPermission(String wire) {
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
}
