package io.ominis.xmlcurl;

import java.util.Optional;

/** The XML sections FreeSWITCH can ask mod_xml_curl for, by the exact name it sends in {@code section}. */
public enum Section {
    /** Module configuration files ({@code acl.conf}, {@code ivr.conf}, …). */
    CONFIGURATION("configuration"),
    /** Users and domains. */
    DIRECTORY("directory"),
    /** Call routing. */
    DIALPLAN("dialplan"),
    /** Phrase macros; FreeSWITCH names the section {@code languages}, not {@code phrases}. */
    LANGUAGES("languages"),
    /** Message routing. */
    CHATPLAN("chatplan"),
    /** Channel data. */
    CHANNELS("channels");

    private final String wire;

    Section(String wire) {
        this.wire = wire;
    }

    /** The name FreeSWITCH sends. */
    public String wire() {
        return wire;
    }

    /** The section named exactly {@code name} (FreeSWITCH always sends lower case), or empty. */
    public static Optional<Section> fromWire(String name) {
        for (Section s : values()) {
            if (s.wire.equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
