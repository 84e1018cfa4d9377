package io.ominis.xmlcurl;

import io.ominis.xmlcurl.internal.FsXmlOutput;
import java.util.List;
import java.util.Objects;

/**
 * Renders {@code <section name="result"><result status="not found"/></section>}, the answer that makes FreeSWITCH try
 * its next binding and then its static files. It is the right answer for anything well-formed we do not serve; an
 * empty 200 would instead be taken as a (broken) configuration.
 */
public final class NotFoundDocument {

    private final byte[] bytes;

    /** Renders the (constant) document once. */
    public NotFoundDocument() {
        bytes = new FsXmlOutput().document(w -> w.section("result").start("result").attribute("status", "not found")
                .end().end());
    }

    /** The not-found document, tagged with {@code reason} for the caller's logs; the bytes are the same for all reasons. */
    public XmlDocument render(NotFoundReason reason) {
        return new XmlDocument(bytes, Objects.requireNonNull(reason, "reason"), List.of());
    }

    /** The not-found document with warnings explaining what was dropped. */
    XmlDocument render(NotFoundReason reason, List<String> warnings) {
        return new XmlDocument(bytes, Objects.requireNonNull(reason, "reason"), warnings);
    }
}
