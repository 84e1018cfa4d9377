package io.ominis.xmlrpc;

/**
 * The node answered with an XML-RPC {@code <fault>} (mod_xml_rpc does so for an unknown method or wrong parameters).
 * Code and text are read as plain values; nothing in a fault is ever turned into an object.
 */
public class XmlRpcFaultException extends XmlRpcTransportException {
    private static final long serialVersionUID = 1L;

    private final int faultCode;
    private final String faultString;

    public XmlRpcFaultException(String node, String command, int faultCode, String faultString) {
        super(node, command, "XML-RPC fault " + faultCode + ": " + faultString, false, null);
        this.faultCode = faultCode;
        this.faultString = faultString;
    }

    /** The {@code faultCode} member. */
    public int faultCode() {
        return faultCode;
    }

    /** The {@code faultString} member. */
    public String faultString() {
        return faultString;
    }
}
