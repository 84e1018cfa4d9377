package io.ominis.xmlcurl.config;

import com.ctc.wstx.stax.WstxEventFactory;
import com.ctc.wstx.stax.WstxInputFactory;
import com.ctc.wstx.stax.WstxOutputFactory;
import io.ominis.core.ConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLEventFactory;
import javax.xml.stream.XMLEventReader;
import javax.xml.stream.XMLEventWriter;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.events.Attribute;
import javax.xml.stream.events.Comment;
import javax.xml.stream.events.StartElement;
import javax.xml.stream.events.XMLEvent;

/**
 * Merges Ominis's settings into a FreeSWITCH file the operator already has, instead of replacing it: everything else
 * in the file (comments, {@code X-PRE-PROCESS} lines, {@code max-sessions}, the modules they load) stays as it was.
 * FreeSWITCH reads one {@code <configuration name="switch.conf">}, so a second file beside it would be ignored.
 */
final class ConfigMerge {

    private static final XMLInputFactory INPUT = input();
    /*
     * Not the renderers' escaping output: the operator's own text is copied through this writer, and a $${var} in it is
     * meant for FreeSWITCH's pre-processor; escaping its dollars would silently disable it. Our own values are checked
     * by ConfigXml.guard before they are written here.
     */
    private static final WstxOutputFactory OUTPUT = new WstxOutputFactory();
    private static final XMLEventFactory EVENTS = new WstxEventFactory();

    private static final String SET = "set by 'ominis freeswitch-config'";
    private static final String EARLY = "loaded early by 'ominis freeswitch-config': its lookups must serve the rest";
    private static final String ADDED = "added by 'ominis freeswitch-config'";
    /** Comments that a run writes again, so an earlier run's copy is dropped. ADDED stays with the loads it names. */
    private static final List<String> MARKERS = List.of(SET, EARLY);

    private ConfigMerge() {
    }

    /**
     * {@code existing} with each of {@code params} set in its {@code <settings>}: a param of the same name
     * (case-insensitive, as FreeSWITCH compares) is removed, the new ones are appended at the end of the block.
     */
    static byte[] mergeSettings(String file, byte[] existing, Map<String, String> params) {
        Set<String> ours = new HashSet<>();
        params.keySet().forEach(p -> ours.add(p.toLowerCase(Locale.ROOT)));
        return rewrite(file, existing, (event, path, out) -> {
            if (event.isStartElement() && path.equals(List.of("configuration", "settings", "param"))
                    && ours.contains(attribute(event.asStartElement(), "name").toLowerCase(Locale.ROOT))) {
                return Action.SKIP;
            }
            if (event.isEndElement() && path.equals(List.of("configuration", "settings"))) {
                out.replaceWhitespace("\n");
                out.comment("    ", SET);
                for (Map.Entry<String, String> p : params.entrySet()) {
                    out.element("    ", "param", "name", p.getKey(), "value", p.getValue());
                }
                out.text("\n  ");
            }
            return Action.COPY;
        }, "settings");
    }

    /**
     * {@code existing} modules.conf with every module of {@code required} loaded: {@code early} modules are moved to
     * just after the loggers (mod_xml_curl must be there before mod_sofia and mod_callcenter make their first lookups),
     * the other missing ones are appended.
     */
    static byte[] mergeModules(byte[] existing, List<String> early, List<String> required) {
        Set<String> seen = new HashSet<>();
        boolean[] earlyWritten = {false};
        List<String> loggers = List.of("mod_console", "mod_logfile", "mod_syslog", "mod_graylog2");
        return rewrite("modules.conf.xml", existing, (event, path, out) -> {
            if (event.isStartElement() && path.equals(List.of("configuration", "modules", "load"))) {
                String module = attribute(event.asStartElement(), "module");
                if (early.contains(module)) {
                    return Action.SKIP; // written again just after the loggers
                }
                if (!earlyWritten[0] && !loggers.contains(module)) {
                    out.comment("", EARLY);
                    for (String m : early) {
                        out.element("    ", "load", "module", m);
                    }
                    out.text("\n    ");
                    earlyWritten[0] = true;
                }
                seen.add(module);
            }
            if (event.isEndElement() && path.equals(List.of("configuration", "modules"))) {
                out.replaceWhitespace("");
                if (!earlyWritten[0]) {
                    for (String m : early) {
                        out.element("    ", "load", "module", m);
                    }
                }
                List<String> missing = required.stream().filter(m -> !early.contains(m) && !seen.contains(m)).toList();
                if (!missing.isEmpty()) {
                    out.comment("    ", ADDED);
                    for (String m : missing) {
                        out.element("    ", "load", "module", m);
                    }
                }
                out.text("\n  ");
            }
            return Action.COPY;
        }, "modules");
    }

    private enum Action { COPY, SKIP }

    /** Decides, for each event at a path of element names from the root, whether to copy it; may add events first. */
    private interface Rule {
        Action apply(XMLEvent event, List<String> path, Additions out);
    }

    /**
     * Events a rule inserts before the current one. They are kept until the rule has decided, so that the whitespace
     * before the current event can go with it when it is skipped, or be replaced; that keeps a second run's output
     * byte for byte the same as the first's.
     */
    private static final class Additions {
        private final List<XMLEvent> events = new ArrayList<>();
        private String whitespace;

        void text(String text) {
            events.add(EVENTS.createCharacters(text));
        }

        void comment(String indent, String body) {
            text("\n" + indent);
            events.add(EVENTS.createComment(" " + body + " "));
        }

        void element(String indent, String name, String... attributes) {
            text("\n" + indent);
            List<Attribute> list = new ArrayList<>();
            for (int i = 0; i < attributes.length; i += 2) {
                list.add(EVENTS.createAttribute(attributes[i], ConfigXml.guard(attributes[i + 1])));
            }
            events.add(EVENTS.createStartElement(new QName(name), list.iterator(), null));
            events.add(EVENTS.createEndElement(new QName(name), null));
        }

        /** Writes {@code text} instead of the whitespace that preceded the current event. */
        void replaceWhitespace(String text) {
            whitespace = text;
        }
    }

    private static byte[] rewrite(String file, byte[] existing, Rule rule, String requiredBlock) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            XMLEventReader reader = INPUT.createXMLEventReader(new ByteArrayInputStream(existing));
            XMLEventWriter writer = OUTPUT.createXMLEventWriter(buffer, "UTF-8");
            List<String> path = new ArrayList<>();
            int skipDepth = 0;
            boolean blockSeen = false;
            XMLEvent pendingSpace = null;
            while (reader.hasNext()) {
                XMLEvent event = reader.nextEvent();
                if (event.isStartDocument()) {
                    continue; // the stock files have no XML declaration; keep it that way
                }
                if (skipDepth == 0 && event.isCharacters() && event.asCharacters().isWhiteSpace()) {
                    if (pendingSpace != null) {
                        writer.add(pendingSpace);
                    }
                    pendingSpace = event;
                    continue;
                }
                if (event.isStartElement()) {
                    path.add(event.asStartElement().getName().getLocalPart());
                    if (path.size() == 2 && path.get(1).equals(requiredBlock)) {
                        blockSeen = true;
                    }
                }
                List<String> at = List.copyOf(path);
                if (event.isEndElement()) {
                    path.remove(path.size() - 1);
                }
                if (skipDepth > 0) {
                    skipDepth += event.isStartElement() ? 1 : event.isEndElement() ? -1 : 0;
                    continue;
                }
                boolean ourComment = event.getEventType() == XMLEvent.COMMENT && isOurs(((Comment) event).getText());
                Additions additions = new Additions();
                if (ourComment || rule.apply(event, at, additions) == Action.SKIP) {
                    // an earlier run's marker or a setting this run writes again: it goes with the space before it
                    pendingSpace = null;
                    skipDepth = event.isStartElement() ? 1 : 0;
                    continue;
                }
                if (additions.whitespace != null) {
                    writer.add(EVENTS.createCharacters(additions.whitespace));
                } else if (pendingSpace != null) {
                    writer.add(pendingSpace);
                }
                pendingSpace = null;
                for (XMLEvent added : additions.events) {
                    writer.add(added);
                }
                writer.add(event);
            }
            if (pendingSpace != null) {
                writer.add(pendingSpace);
            }
            writer.close();
            if (!blockSeen) {
                throw new ConfigurationException(file, "has no <configuration><" + requiredBlock
                        + "> block to merge into; move it aside or fix it");
            }
        } catch (XMLStreamException e) {
            throw new ConfigurationException(file, "is not well-formed XML, so it cannot be merged: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        return buffer.toByteArray();
    }

    private static boolean isOurs(String comment) {
        String text = comment.strip();
        return MARKERS.stream().anyMatch(text::startsWith);
    }

    private static String attribute(StartElement element, String name) {
        Attribute a = element.getAttributeByName(new QName(name));
        return a == null ? "" : a.getValue();
    }

    private static XMLInputFactory input() {
        XMLInputFactory factory = new WstxInputFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        return factory;
    }
}
