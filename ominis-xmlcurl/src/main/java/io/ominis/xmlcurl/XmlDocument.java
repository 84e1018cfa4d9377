package io.ominis.xmlcurl;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A rendered answer for FreeSWITCH: UTF-8 XML to send with HTTP 200 and {@link #CONTENT_TYPE}, whether it is the
 * not-found document (and why), and warnings about records that were left out so that FreeSWITCH would not reject the
 * whole document. Immutable.
 */
public final class XmlDocument {

    /** The content type to send the document with. */
    public static final String CONTENT_TYPE = "text/xml; charset=utf-8";

    private final byte[] utf8;
    private final NotFoundReason notFoundReason;
    private final List<String> warnings;

    XmlDocument(byte[] utf8, NotFoundReason notFoundReason, List<String> warnings) {
        this.utf8 = Objects.requireNonNull(utf8, "utf8");
        this.notFoundReason = notFoundReason;
        this.warnings = List.copyOf(warnings);
    }

    /** A copy of the document's bytes. */
    public byte[] bytes() {
        return utf8.clone();
    }

    /** A read-only view of the document's bytes, without copying them (for a server writing it as it is). */
    public java.nio.ByteBuffer buffer() {
        return java.nio.ByteBuffer.wrap(utf8).asReadOnlyBuffer();
    }

    /** Writes the document to {@code out} without copying it. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(utf8);
    }

    /** The document's length in bytes. */
    public int length() {
        return utf8.length;
    }

    /** The document as text. */
    public String text() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** Whether this is the not-found document. */
    public boolean isNotFound() {
        return notFoundReason != null;
    }

    /** Why this is the not-found document; empty for a real answer. */
    public Optional<NotFoundReason> notFoundReason() {
        return Optional.ofNullable(notFoundReason);
    }

    /** Records left out of the document and why, in document order; empty when everything was rendered. */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public String toString() {
        return text();
    }
}
