package io.ominis.xmlcurl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ominis.core.InvalidValueException;
import io.ominis.core.acl.AclEntry;
import io.ominis.core.acl.AclPermission;
import io.ominis.core.directory.Extension;
import io.ominis.core.directory.ExtensionStatus;
import io.ominis.core.ivr.Ivr;
import io.ominis.core.ivr.IvrMenu;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;
import org.junit.jupiter.api.Test;

/**
 * Any text in any user-editable field must give well-formed XML that parses back to the same text, and the raw bytes
 * must never carry something FreeSWITCH's pre-processor acts on. The only documented change: characters XML 1.0
 * cannot carry become U+FFFD. A {@code $} round-trips as {@code $} because it is written as {@code &#36;}.
 */
class EscapingPropertyTest {

    private static final long SEED = 20261125L;
    private static final int CASES = 2000;
    private static final String[] SNIPPETS = {"$${hostname}", "<X-PRE-PROCESS cmd=\"exec\" data=\"rm -rf /\"/>",
        "\"", "'", "]]>", "&amp;", "&#36;", "$", "$$", "${system(id)}", "\r\n", "\t", "<", ">", "\uFFFF", "\uFFFE",
        "\u0000", "\uD83D\uDE00", "\uD800", "\uDC00", "<![CDATA[", "<!--", "%24%24%7B"};

    private final DirectoryRenderer directory = new DirectoryRenderer();
    private final IvrRenderer ivr = new IvrRenderer();
    private final AclRenderer acl = new AclRenderer();
    private final CallcenterRenderer callcenter = new CallcenterRenderer();

    @Test
    void everyUserFieldRoundTripsAndNeverReachesThePreProcessor() throws Exception {
        Random random = new Random(SEED);
        int callcenterCases = 0;
        for (int i = 0; i < CASES; i++) {
            String text = text(random);
            String expected = expected(text);
            String nonBlank = text.isBlank() ? "x" + text : text;
            String expectedNonBlank = expected(nonBlank);

            ObjectNode features = JsonNodeFactory.instance.objectNode().put("note", text);
            ObjectNode voicemail = JsonNodeFactory.instance.objectNode().put("password", text).put("email", text);
            Extension ext = new Extension("1001", nonBlank, nonBlank, null, nonBlank, ExtensionStatus.ACTIVE,
                    null, voicemail, features, null, null);
            Parsed dir = parse(directory.render(
                    new Lookup.DirectoryUser("1001", text, text, "sip_auth"), ext, 0), text);
            assertThat(dir.attributes.get("domain@name")).isEqualTo(expected);
            assertThat(dir.named).containsEntry("password", expectedNonBlank)
                    .containsEntry("effective_caller_id_name", expectedNonBlank)
                    .containsEntry("accountcode", expectedNonBlank)
                    .containsEntry("ominis_note", expected)
                    .containsEntry("vm-password", expected)
                    .containsEntry("vm-mailto", expected);

            IvrMenu menu = new IvrMenu(1, "sales", "main_menu", nonBlank, null, 5, 3, nonBlank, null, null);
            Parsed ivrDoc = parse(ivr.render(Ivr.named("sales"), List.of(menu), List.of()), text);
            assertThat(ivrDoc.attributes.get("menu@greet-long")).isEqualTo("say:" + expectedNonBlank);
            assertThat(ivrDoc.attributes.get("menu@invalid-sound")).isEqualTo("say:" + expectedNonBlank);

            AclEntry entry = new AclEntry(null, text, "10.0.0.0/8", AclPermission.ALLOW, text, null, null);
            assertThat(parse(acl.render(List.of(entry)), text).attributes.get("list@name")).isEqualTo(expected);

            CallcenterSettings settings;
            QueueDefinition queue;
            try {
                // a DSN FreeSWITCH would open as SQLite is refused, so the random text rides behind odbc://
                settings = CallcenterSettings.of("odbc://" + text, text);
                queue = QueueDefinition.withDefaults("q").with("moh-sound", text);
            } catch (InvalidValueException e) {
                continue; // multi-line, blank or holding ${: refused before it can reach a document
            }
            callcenterCases++;
            assertThat(parse(callcenter.render(settings, List.of(queue)), text).named)
                    .containsEntry("odbc-dsn", "odbc://" + expected).containsEntry("cc-instance-id", expected)
                    .containsEntry("moh-sound", expected);
        }
        assertThat(callcenterCases).as("single-line cases reaching callcenter.conf").isGreaterThan(CASES / 10);
    }

    @Test
    void expectedMappingIsTheDocumentedOne() {
        assertThat(expected("a\u0000b\uD800c\uD83D\uDE00\uFFFF$")).isEqualTo("a\uFFFDb\uFFFDc\uD83D\uDE00\uFFFD$");
    }

    /** Mixes snippets that attack the pre-processor or the markup with random code points from every plane. */
    private static String text(Random random) {
        StringBuilder out = new StringBuilder();
        int pieces = random.nextInt(12);
        for (int p = 0; p < pieces; p++) {
            switch (random.nextInt(6)) {
                case 0 -> out.append(SNIPPETS[random.nextInt(SNIPPETS.length)]);
                case 1 -> out.append((char) random.nextInt(0x20));
                case 2 -> out.appendCodePoint(0x10000 + random.nextInt(0x100000));
                case 3 -> out.append((char) random.nextInt(0x10000));
                default -> out.append((char) (0x20 + random.nextInt(0x5F)));
            }
        }
        return out.toString();
    }

    /** The documented change, written independently of the implementation: unrepresentable code points → U+FFFD. */
    private static String expected(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(cp -> {
            boolean allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
                    || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
            out.appendCodePoint(allowed ? cp : 0xFFFD);
        });
        return out.toString();
    }

    private record Parsed(Map<String, String> attributes, Map<String, String> named) {
    }

    /** Parses with DTDs and external entities off; fails on anything not well-formed. */
    private static Parsed parse(XmlDocument doc, String input) throws Exception {
        String raw = doc.text();
        assertThat(raw).as("raw output for input %s", escapeForMessage(input))
                .doesNotContain("$${").doesNotContain("<X-PRE-PROCESS");
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        XMLStreamReader reader = factory.createXMLStreamReader(new ByteArrayInputStream(doc.bytes()), "UTF-8");
        Map<String, String> attributes = new HashMap<>();
        Map<String, String> named = new HashMap<>();
        List<String> elements = new ArrayList<>();
        while (reader.hasNext()) {
            if (reader.next() == XMLStreamConstants.START_ELEMENT) {
                String element = reader.getLocalName();
                elements.add(element);
                String name = null;
                String value = null;
                for (int a = 0; a < reader.getAttributeCount(); a++) {
                    String attr = reader.getAttributeLocalName(a);
                    attributes.putIfAbsent(element + "@" + attr, reader.getAttributeValue(a));
                    if (attr.equals("name")) {
                        name = reader.getAttributeValue(a);
                    } else if (attr.equals("value")) {
                        value = reader.getAttributeValue(a);
                    }
                }
                if (name != null && value != null) {
                    named.put(name, value);
                }
            }
        }
        assertThat(elements).isNotEmpty().first().isEqualTo("document");
        assertThat(new String(doc.bytes(), StandardCharsets.UTF_8)).isEqualTo(raw);
        return new Parsed(attributes, named);
    }

    private static String escapeForMessage(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(cp -> out.append(cp < 0x20 || cp > 0x7E ? String.format("\\u{%X}", cp)
                : String.valueOf((char) cp)));
        return out.toString();
    }
}
