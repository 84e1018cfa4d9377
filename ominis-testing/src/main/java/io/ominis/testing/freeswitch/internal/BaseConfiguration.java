package io.ominis.testing.freeswitch.internal;

import io.ominis.testing.freeswitch.RealFreeSwitch;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The part of a test switch's configuration that is not Ominis's business: freeswitch.xml, loggers, one SIP profile
 * bound to loopback and a small dialplan. Everything that connects FreeSWITCH to Ominis (modules, core DB,
 * mod_callcenter, mod_odbc_cdr, mod_xml_curl, mod_xml_rpc) must come from the generated files laid over it.
 *
 * <p>Dialplan of context {@code default}: {@code queue-<name>} answers and joins {@code <name>@default};
 * {@code ivr-<name>} answers and runs IVR menu {@code <name>}; {@code tone} answers and plays a tone until hang-up;
 * {@code park} answers and parks (a live channel without media, for load);
 * a number of 3 to 6 digits bridges to {@code user/<number>@}{@value RealFreeSwitch#DOMAIN}.
 */
public final class BaseConfiguration {

    /** Name of the SIP profile. */
    public static final String PROFILE = "ominis";

    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();

    private BaseConfiguration() {
    }

    /**
     * The base files, path relative to the conf folder → bytes. {@code staticDirectory}: the test brings
     * {@code directory/*.xml} files; only then are they included, since FreeSWITCH logs an error for an include that
     * matches nothing, at start and at every reloadxml.
     */
    public static Map<String, byte[]> files(RealFreeSwitch fs, boolean staticDirectory) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("freeswitch.xml", freeswitchXml(staticDirectory));
        files.put("autoload_configs/console.conf.xml", doc(w -> {
            start(w, "configuration", "name", "console.conf", "description", "Console Logger");
            start(w, "mappings");
            empty(w, "map", "name", "all", "value", "console,debug,info,notice,warning,err,crit,alert");
            w.end();
            start(w, "settings");
            param(w, "colorize", "false");
            param(w, "loglevel", "info");
        }));
        files.put("autoload_configs/logfile.conf.xml", doc(w -> {
            start(w, "configuration", "name", "logfile.conf", "description", "File Logging");
            start(w, "settings");
            param(w, "rotate-on-hup", "true");
            w.end();
            start(w, "profiles");
            start(w, "profile", "name", "default");
            start(w, "settings");
            param(w, "rollover", "1073741824");
            param(w, "uuid", "true");
            w.end();
            start(w, "mappings");
            empty(w, "map", "name", "all", "value", "debug,info,notice,warning,err,crit,alert");
        }));
        files.put("autoload_configs/sofia.conf.xml", doc(w -> {
            start(w, "configuration", "name", "sofia.conf", "description", "sofia Endpoint");
            start(w, "global_settings");
            param(w, "log-level", "0");
            w.end();
            start(w, "profiles");
            start(w, "profile", "name", PROFILE);
            start(w, "settings");
            String port = Integer.toString(fs.sipPort());
            param(w, "sip-ip", "127.0.0.1");
            param(w, "sip-port", port);
            param(w, "rtp-ip", "127.0.0.1");
            param(w, "ext-rtp-ip", "127.0.0.1");
            param(w, "ext-sip-ip", "127.0.0.1");
            param(w, "dialplan", "XML");
            param(w, "context", "default");
            param(w, "auth-calls", "true");
            param(w, "accept-blind-reg", "false");
            param(w, "accept-blind-auth", "false");
            param(w, "inbound-reg-force-matching-username", "true");
            param(w, "force-register-domain", RealFreeSwitch.DOMAIN);
            param(w, "force-register-db-domain", RealFreeSwitch.DOMAIN);
            param(w, "challenge-realm", "auto_from");
            param(w, "codec-prefs", "PCMU,PCMA");
            param(w, "rtp-timer-name", "soft");
            param(w, "dtmf-type", "rfc2833");
            param(w, "manage-presence", "false");
            param(w, "nonce-ttl", "60");
            param(w, "user-agent-string", "FreeSWITCH-ominis-test");
        }));
        files.put("dialplan/default.xml", doc(w -> {
            start(w, "include");
            start(w, "context", "name", "default");
            extension(w, "queue", "^queue-(.+)$", "answer", "", "callcenter", "$1@default");
            extension(w, "ivr", "^ivr-(.+)$", "answer", "", "ivr", "$1");
            extension(w, "tone", "^tone$", "answer", "", "playback", "tone_stream://%(1000,0,440);loops=-1");
            extension(w, "park", "^park$", "answer", "", "park", "");
            extension(w, "user", "^(\\d{3,6})$", "set", "call_timeout=20", "bridge",
                    "user/$1@" + RealFreeSwitch.DOMAIN);
        }));
        return files;
    }

    private static byte[] freeswitchXml(boolean staticDirectory) {
        return doc(w -> {
            start(w, "document", "type", "freeswitch/xml");
            start(w, "section", "name", "configuration", "description", "Various Configuration");
            empty(w, "X-PRE-PROCESS", "cmd", "include", "data", "autoload_configs/*.xml");
            w.end();
            start(w, "section", "name", "dialplan", "description", "Regex/XML Dialplan");
            empty(w, "X-PRE-PROCESS", "cmd", "include", "data", "dialplan/*.xml");
            w.end();
            // static users only when a test brings them (a switch without Ominis); Ominis is asked before it anyway
            start(w, "section", "name", "directory", "description", "User Directory");
            if (staticDirectory) {
                empty(w, "X-PRE-PROCESS", "cmd", "include", "data", "directory/*.xml");
            }
            w.end();
        });
    }

    private static void extension(Xml w, String name, String expression, String app1, String data1,
            String app2, String data2) throws XMLStreamException {
        start(w, "extension", "name", name);
        start(w, "condition", "field", "destination_number", "expression", expression);
        empty(w, "action", "application", app1, "data", data1);
        empty(w, "action", "application", app2, "data", data2);
        w.end();
        w.end();
    }

    private interface Body {
        void write(Xml w) throws XMLStreamException;
    }

    /**
     * A StAX writer that puts every element on a line of its own: FreeSWITCH's pre-processor works on whole lines,
     * so an {@code X-PRE-PROCESS} or {@code <include>} sharing a line with other markup would take it along.
     */
    private static final class Xml {
        private final XMLStreamWriter writer;
        private int depth;

        Xml(XMLStreamWriter writer) {
            this.writer = writer;
        }

        void start(String element, String... attributes) throws XMLStreamException {
            line();
            writer.writeStartElement(element);
            attributes(attributes);
            depth++;
        }

        void empty(String element, String... attributes) throws XMLStreamException {
            line();
            writer.writeEmptyElement(element);
            attributes(attributes);
        }

        void end() throws XMLStreamException {
            depth--;
            line();
            writer.writeEndElement();
        }

        void finish() throws XMLStreamException {
            while (depth > 0) {
                end();
            }
            writer.writeCharacters("\n");
            writer.writeEndDocument();
            writer.close();
        }

        private void line() throws XMLStreamException {
            writer.writeCharacters("\n" + "  ".repeat(depth));
        }

        private void attributes(String... pairs) throws XMLStreamException {
            for (int i = 0; i < pairs.length; i += 2) {
                writer.writeAttribute(pairs[i], pairs[i + 1]);
            }
        }
    }

    private static byte[] doc(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Xml w = new Xml(XML.createXMLStreamWriter(out, "UTF-8"));
            body.write(w);
            w.finish();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static void start(Xml w, String element, String... attributes) throws XMLStreamException {
        w.start(element, attributes);
    }

    private static void empty(Xml w, String element, String... attributes) throws XMLStreamException {
        w.empty(element, attributes);
    }

    private static void param(Xml w, String name, String value) throws XMLStreamException {
        w.empty("param", "name", name, "value", value);
    }
}
