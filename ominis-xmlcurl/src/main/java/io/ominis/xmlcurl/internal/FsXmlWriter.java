package io.ominis.xmlcurl.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import javax.xml.stream.XMLStreamException;
import org.codehaus.stax2.XMLStreamWriter2;

/**
 * The only way renderers write XML. Element and attribute names are our constants; every attribute value passes
 * through {@link XmlText#sanitize} and the {@link DollarEscapingWriter}, so there is no method that could emit user
 * text unescaped. Output is indented by two spaces per level so golden files read well; FreeSWITCH ignores the
 * whitespace.
 */
public final class FsXmlWriter {

    private final XMLStreamWriter2 out;
    /** One entry per open element: whether it has child elements yet (decides where its end tag goes). */
    private final Deque<boolean[]> open = new ArrayDeque<>();

    FsXmlWriter(XMLStreamWriter2 out) {
        this.out = out;
    }

    /** Opens element {@code name} (a constant of ours, never user text) on its own line. */
    public FsXmlWriter start(String name) throws XMLStreamException {
        boolean[] parent = open.peek();
        if (parent != null) {
            parent[0] = true;
        }
        out.writeSpace("\n" + "  ".repeat(open.size()));
        out.writeStartElement(name);
        open.push(new boolean[] {false});
        return this;
    }

    /** Writes attribute {@code name} with any text; a null value writes nothing. */
    public FsXmlWriter attribute(String name, String value) throws XMLStreamException {
        if (value != null) {
            out.writeAttribute(name, XmlText.sanitize(value));
        }
        return this;
    }

    /** Writes a numeric attribute. */
    public FsXmlWriter attribute(String name, long value) throws XMLStreamException {
        out.writeAttribute(name, Long.toString(value));
        return this;
    }

    /** Writes one of our own channel-variable expressions, its {@code $} literal, its arguments escaped. */
    public FsXmlWriter attribute(String name, FsExpression expression, String... args) throws XMLStreamException {
        out.writeAttribute(name, expression.expand(args));
        return this;
    }

    /** Closes the innermost open element; childless elements come out as {@code <x/>}. */
    public FsXmlWriter end() throws XMLStreamException {
        boolean[] self = open.pop();
        if (self[0]) {
            out.writeSpace("\n" + "  ".repeat(open.size()));
        }
        out.writeEndElement();
        return this;
    }

    /** Writes {@code <section name="…">}, left open. */
    public FsXmlWriter section(String name) throws XMLStreamException {
        return start("section").attribute("name", name);
    }

    /** Writes a childless {@code <param name value/>}; a null value writes nothing at all. */
    public FsXmlWriter param(String name, String value) throws XMLStreamException {
        return value == null ? this : start("param").attribute("name", name).attribute("value", value).end();
    }

    /** Writes a childless {@code <variable name value/>}; a null value writes nothing at all. */
    public FsXmlWriter variable(String name, String value) throws XMLStreamException {
        return value == null ? this : start("variable").attribute("name", name).attribute("value", value).end();
    }
}
