package io.ominis.xmlrpc.internal;

import com.ctc.wstx.api.WstxInputProperties;
import com.ctc.wstx.stax.WstxInputFactory;
import com.ctc.wstx.stax.WstxOutputFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.HashMap;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes {@code methodCall} documents and reads {@code methodResponse} documents for the tiny part of XML-RPC that
 * FreeSWITCH speaks: string parameters in, one string (or a fault) out. Anything else is refused, and a document
 * that carries a DOCTYPE is refused before any entity could be resolved.
 */
public final class XmlRpcCodec {

    /** The parsed answer: either {@code value} or a fault. */
    public record Reply(String value, Integer faultCode, String faultString) {
        public boolean isFault() {
            return faultCode != null;
        }
    }

    /** The document is not a well-formed, DTD-free XML-RPC response. */
    public static final class MalformedReplyException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedReplyException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final int MAX_DEPTH = 16;

    private final XMLInputFactory inputFactory;
    private final XMLOutputFactory outputFactory;

    public XmlRpcCodec() {
        inputFactory = new WstxInputFactory();
        // No DTD processing at all: no external subset fetch, no entity expansion (XXE, billion laughs).
        inputFactory.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        inputFactory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        inputFactory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.FALSE);
        inputFactory.setProperty(XMLInputFactory.IS_COALESCING, Boolean.TRUE);
        inputFactory.setProperty(WstxInputProperties.P_MAX_ELEMENT_DEPTH, MAX_DEPTH);
        outputFactory = new WstxOutputFactory();
    }

    /** Serialises a call of {@code method} with string parameters, escaping as XML requires. */
    public byte[] writeCall(String method, String... params) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            XMLStreamWriter w = outputFactory.createXMLStreamWriter(out, "UTF-8");
            w.writeStartDocument("UTF-8", "1.0");
            w.writeStartElement("methodCall");
            w.writeStartElement("methodName");
            w.writeCharacters(method);
            w.writeEndElement();
            w.writeStartElement("params");
            for (String param : params) {
                w.writeStartElement("param");
                w.writeStartElement("value");
                w.writeStartElement("string");
                w.writeCharacters(param);
                w.writeEndElement();
                w.writeEndElement();
                w.writeEndElement();
            }
            w.writeEndElement();
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            // Arguments are validated before they get here, so this is a programming error, not bad input.
            throw new IllegalStateException("cannot write XML-RPC request", e);
        }
        return out.toByteArray();
    }

    /** Parses a {@code methodResponse}; a fault is returned, not thrown, so the caller can name the node. */
    public Reply readReply(byte[] document) throws MalformedReplyException {
        XMLStreamReader r = null;
        try {
            r = inputFactory.createXMLStreamReader(new ByteArrayInputStream(document));
            expectElement(r, nextTag(r), "methodResponse");
            int event = nextTag(r);
            Reply reply;
            if (event == XMLStreamConstants.START_ELEMENT && r.getLocalName().equals("params")) {
                expectElement(r, nextTag(r), "param");
                expectElement(r, nextTag(r), "value");
                Object value = readValue(r);
                if (!(value instanceof String)) {
                    throw malformed("the response value is a struct, FreeSWITCH sends a string");
                }
                reply = new Reply((String) value, null, null);
                expectEnd(r, "param");
                expectEnd(r, "params");
            } else if (event == XMLStreamConstants.START_ELEMENT && r.getLocalName().equals("fault")) {
                expectElement(r, nextTag(r), "value");
                reply = readFault(readValue(r));
                expectEnd(r, "fault");
            } else {
                throw malformed("expected <params> or <fault> in <methodResponse>");
            }
            expectEnd(r, "methodResponse");
            while (r.hasNext()) {
                checkEvent(r, r.next());
            }
            return reply;
        } catch (XMLStreamException e) {
            throw new MalformedReplyException("not well-formed XML: " + firstLine(e.getMessage()), e);
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // Closing an in-memory reader cannot lose data.
                }
            }
        }
    }

    private static Reply readFault(Object value) throws MalformedReplyException {
        if (!(value instanceof Map<?, ?> struct)) {
            throw malformed("<fault> must hold a struct");
        }
        Object code = struct.get("faultCode");
        Object text = struct.get("faultString");
        if (!(code instanceof String) || !(text instanceof String)) {
            throw malformed("<fault> needs faultCode and faultString");
        }
        try {
            return new Reply(null, Integer.parseInt(((String) code).trim()), (String) text);
        } catch (NumberFormatException e) {
            throw malformed("faultCode is not an int");
        }
    }

    /** Reads the content of a {@code <value>} whose start tag was just consumed, through its end tag. */
    private Object readValue(XMLStreamReader r) throws XMLStreamException, MalformedReplyException {
        StringBuilder bare = new StringBuilder();
        Object typed = null;
        while (true) {
            int event = r.next();
            checkEvent(r, event);
            switch (event) {
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> bare.append(r.getText());
                case XMLStreamConstants.START_ELEMENT -> {
                    if (typed != null) {
                        throw malformed("<value> holds more than one element");
                    }
                    String type = r.getLocalName();
                    typed = switch (type) {
                        case "string", "i4", "int", "boolean", "double" -> r.getElementText();
                        case "struct" -> readStruct(r);
                        default -> throw malformed("unsupported value type <" + type + ">");
                    };
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    // XML-RPC: a <value> without a type element is a string, whitespace included.
                    return typed != null ? typed : bare.toString();
                }
                default -> {
                    // comments and processing instructions carry nothing
                }
            }
        }
    }

    private Map<String, Object> readStruct(XMLStreamReader r) throws XMLStreamException, MalformedReplyException {
        Map<String, Object> members = new HashMap<>();
        while (nextTag(r) == XMLStreamConstants.START_ELEMENT) {
            expectElement(r, XMLStreamConstants.START_ELEMENT, "member");
            expectElement(r, nextTag(r), "name");
            String name = r.getElementText();
            expectElement(r, nextTag(r), "value");
            members.put(name, readValue(r));
            expectEnd(r, "member");
        }
        return members;
    }

    /** Like {@link XMLStreamReader#nextTag()} but refuses DTDs and entity references on the way. */
    private static int nextTag(XMLStreamReader r) throws XMLStreamException, MalformedReplyException {
        while (true) {
            int event = r.next();
            checkEvent(r, event);
            switch (event) {
                case XMLStreamConstants.START_ELEMENT, XMLStreamConstants.END_ELEMENT, XMLStreamConstants.END_DOCUMENT -> {
                    return event;
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
                    if (!r.isWhiteSpace()) {
                        throw malformed("unexpected text '" + abbreviate(r.getText()) + "'");
                    }
                }
                default -> {
                    // whitespace, comments, processing instructions
                }
            }
        }
    }

    private static void checkEvent(XMLStreamReader r, int event) throws MalformedReplyException {
        if (event == XMLStreamConstants.DTD) {
            throw malformed("a DOCTYPE is not allowed");
        }
        if (event == XMLStreamConstants.ENTITY_REFERENCE) {
            throw malformed("entity reference &" + r.getLocalName() + "; is not allowed");
        }
    }

    private static void expectElement(XMLStreamReader r, int event, String name) throws MalformedReplyException {
        if (event != XMLStreamConstants.START_ELEMENT || !r.getLocalName().equals(name)) {
            throw malformed("expected <" + name + ">");
        }
    }

    private static void expectEnd(XMLStreamReader r, String name) throws XMLStreamException, MalformedReplyException {
        int event = nextTag(r);
        if (event != XMLStreamConstants.END_ELEMENT || !r.getLocalName().equals(name)) {
            throw malformed("expected </" + name + ">");
        }
    }

    private static MalformedReplyException malformed(String what) {
        return new MalformedReplyException(what, null);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "parse error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
