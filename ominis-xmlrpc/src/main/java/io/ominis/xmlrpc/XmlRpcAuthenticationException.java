package io.ominis.xmlrpc;

/** The node answered HTTP 401: the XML-RPC user name or password is wrong (or the user is unknown to the directory). */
public class XmlRpcAuthenticationException extends XmlRpcTransportException {
    private static final long serialVersionUID = 1L;

    public XmlRpcAuthenticationException(String node, String command, String what) {
        super(node, command, what, false, null);
    }
}
