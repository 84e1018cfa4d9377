package io.ominis.xmlrpc;

import okhttp3.mockwebserver.MockResponse;

/** Replies shaped byte for byte like mod_xml_rpc's, for MockWebServer. */
final class FsReplies {

    private FsReplies() {
    }

    /** A successful {@code freeswitch.api} answer carrying {@code text} as an XML-RPC string. */
    static MockResponse string(String text) {
        return xml("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<methodResponse>\r\n<params>\r\n<param><value><string>"
                + escape(text) + "</string></value></param>\r\n</params>\r\n</methodResponse>\r\n");
    }

    /** An XML-RPC document in an HTTP 200, as mod_xml_rpc sends it. */
    static MockResponse xml(String document) {
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/xml").setBody(document);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
