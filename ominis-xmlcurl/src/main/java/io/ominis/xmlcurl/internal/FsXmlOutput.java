package io.ominis.xmlcurl.internal;

import com.ctc.wstx.api.WstxOutputProperties;
import com.ctc.wstx.stax.WstxOutputFactory;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.Writer;
import javax.xml.stream.XMLStreamException;
import org.codehaus.stax2.XMLOutputFactory2;
import org.codehaus.stax2.XMLStreamWriter2;
import org.codehaus.stax2.io.EscapingWriterFactory;

/**
 * A configured Woodstox output factory for FreeSWITCH documents: UTF-8, {@code <a/>} for empty elements, and the
 * {@link DollarEscapingWriter} for every attribute value. Each renderer owns one; it is thread-safe once built.
 */
public final class FsXmlOutput {

    /** Writes the body of one document. */
    @FunctionalInterface
    public interface Body {
        /** Writes elements below the document root through {@code writer}. */
        void write(FsXmlWriter writer) throws XMLStreamException;
    }

    private final WstxOutputFactory factory;

    /** A factory with the escaping every FreeSWITCH document needs. */
    public FsXmlOutput() {
        factory = new WstxOutputFactory();
        factory.setProperty(XMLOutputFactory2.P_AUTOMATIC_EMPTY_ELEMENTS, Boolean.TRUE);
        factory.setProperty(WstxOutputProperties.P_USE_DOUBLE_QUOTES_IN_XML_DECL, Boolean.TRUE);
        factory.setProperty(XMLOutputFactory2.P_ATTR_VALUE_ESCAPER, new EscapingWriterFactory() {
            @Override
            public Writer createEscapingWriterFor(Writer w, String enc) {
                return new DollarEscapingWriter(w);
            }

            @Override
            public Writer createEscapingWriterFor(OutputStream out, String enc) {
                throw new UnsupportedOperationException("Woodstox hands the escaper a Writer");
            }
        });
    }

    /**
     * A stream writer with the same escaping for documents that are not mod_xml_curl answers (the configuration files
     * {@code freeswitch-config} writes). Attribute values must go through {@link #attributeValue} first.
     */
    public XMLStreamWriter2 streamWriter(OutputStream out) throws XMLStreamException {
        return (XMLStreamWriter2) factory.createXMLStreamWriter(out, "UTF-8");
    }

    /** Any text made safe to pass as an attribute value to a {@link #streamWriter}, as renderers' values are. */
    public static String attributeValue(String text) {
        return XmlText.sanitize(text);
    }

    /**
     * Writes {@code <?xml …?><document type="freeswitch/xml">…</document>} around {@code body} and returns the UTF-8
     * bytes, ending with a line feed.
     */
    public byte[] document(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try {
            XMLStreamWriter2 stream = (XMLStreamWriter2) factory.createXMLStreamWriter(bytes, "UTF-8");
            stream.writeStartDocument("UTF-8", "1.0");
            FsXmlWriter writer = new FsXmlWriter(stream);
            writer.start("document");
            writer.attribute("type", "freeswitch/xml");
            body.write(writer);
            writer.end();
            stream.writeEndDocument();
            stream.close();
        } catch (XMLStreamException e) {
            // Only reachable through a bug in a renderer (an unbalanced end()); the output is in memory.
            throw new IllegalStateException("could not write a FreeSWITCH document", e);
        }
        bytes.write('\n');
        return bytes.toByteArray();
    }
}
