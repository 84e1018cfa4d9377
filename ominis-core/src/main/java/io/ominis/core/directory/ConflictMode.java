package io.ominis.core.directory;

import io.ominis.core.WireValue;

/** What a bulk import does with a row whose number is already taken, and how much of the import is atomic. */
public enum ConflictMode implements WireValue {
    /** Any bad or taken row refuses the whole import: one transaction, nothing written unless every row is good. */
    FAIL("fail"),
    /** Taken numbers are left as they are; bad rows are reported and left out; committed batch by batch. */
    SKIP("skip"),
    /** Taken numbers are overwritten with the row; bad rows are reported and left out; committed batch by batch. */
    UPDATE("update");

    private final String wire;

    ConflictMode(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
