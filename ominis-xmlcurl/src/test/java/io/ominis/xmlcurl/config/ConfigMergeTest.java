package io.ominis.xmlcurl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.ConfigurationException;
import io.ominis.testing.freeswitch.internal.FreeSwitchInstallation;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Merging into the files a stock FreeSWITCH 1.10.12 installs ({@code etc/freeswitch} of the build the end-to-end tests
 * use): everything of the operator's stays, Ominis's settings and modules are there, and a second run changes nothing.
 */
class ConfigMergeTest {

    private static final Path STOCK = FreeSwitchInstallation.find().prefix().resolve("etc/freeswitch/autoload_configs");

    @Test
    void switchConfKeepsEveryStockSettingAndTakesOurs() throws Exception {
        byte[] stock = Files.readAllBytes(STOCK.resolve("switch.conf.xml"));
        Map<String, String> ours = new LinkedHashMap<>();
        ours.put("core-db-dsn", "odbc://ominis");
        ours.put("auto-create-schemas", "true");
        ours.put("max-db-handles", "80");

        byte[] merged = ConfigMerge.mergeSettings("switch.conf.xml", stock, ours);

        Map<String, String> before = params(stock);
        Map<String, String> after = params(merged);
        assertThat(before).containsEntry("max-sessions", "1000").containsEntry("sessions-per-second", "30")
                .containsEntry("max-db-handles", "50");
        Map<String, String> expected = new LinkedHashMap<>(before);
        expected.putAll(ours);
        assertThat(after).isEqualTo(expected);
        String text = new String(merged, StandardCharsets.UTF_8);
        assertThat(text).contains("<!-- set by 'ominis freeswitch-config' -->").doesNotStartWith("<?xml");
        assertThat(countOf(text, "X-PRE-PROCESS")).isEqualTo(countOf(new String(stock, StandardCharsets.UTF_8),
                "X-PRE-PROCESS"));
        assertThat(text(ConfigMerge.mergeSettings("switch.conf.xml", merged, ours))).as("a second run")
                .isEqualTo(text(merged));
    }

    @Test
    void modulesConfLoadsXmlCurlBeforeSofiaAndAddsWhatTheStockFileLacks() throws Exception {
        byte[] stock = Files.readAllBytes(STOCK.resolve("modules.conf.xml"));
        List<String> before = loads(stock);
        assertThat(before).doesNotContain("mod_xml_curl", "mod_callcenter", "mod_odbc_cdr", "mod_xml_rpc");

        byte[] merged = ConfigMerge.mergeModules(stock, List.of("mod_xml_curl"),
                List.of("mod_xml_curl", "mod_xml_rpc", "mod_odbc_cdr", "mod_sofia", "mod_callcenter"));

        List<String> after = loads(merged);
        assertThat(after).containsAll(before).contains("mod_xml_rpc", "mod_odbc_cdr", "mod_callcenter");
        assertThat(after).filteredOn("mod_xml_curl"::equals).hasSize(1);
        assertThat(after.indexOf("mod_xml_curl")).isEqualTo(after.indexOf("mod_logfile") + 1)
                .isLessThan(after.indexOf("mod_sofia")).isLessThan(after.indexOf("mod_callcenter"));
        assertThat(text(ConfigMerge.mergeModules(merged, List.of("mod_xml_curl"),
                List.of("mod_xml_curl", "mod_xml_rpc", "mod_odbc_cdr", "mod_sofia", "mod_callcenter"))))
                .as("a second run").isEqualTo(text(merged));
    }

    @Test
    void aFileWithoutTheBlockOrNotXmlIsRefusedNamingIt() {
        assertThatThrownBy(() -> ConfigMerge.mergeSettings("switch.conf.xml",
                "<configuration name=\"switch.conf\"></configuration>".getBytes(), Map.of("a", "b")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("switch.conf.xml")
                .hasMessageContaining("<settings>");
        assertThatThrownBy(() -> ConfigMerge.mergeSettings("switch.conf.xml", "<configuration><settings>".getBytes(),
                Map.of("a", "b"))).isInstanceOf(ConfigurationException.class).hasMessageContaining("well-formed");
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int countOf(String text, String word) {
        return text.split(word, -1).length - 1;
    }

    private static Document parse(byte[] xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    private static Map<String, String> params(byte[] xml) throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        NodeList list = parse(xml).getElementsByTagName("param");
        for (int i = 0; i < list.getLength(); i++) {
            Element p = (Element) list.item(i);
            if (p.getParentNode().getNodeName().equals("settings")) {
                params.put(p.getAttribute("name"), p.getAttribute("value"));
            }
        }
        return params;
    }

    private static List<String> loads(byte[] xml) throws Exception {
        List<String> modules = new ArrayList<>();
        NodeList list = parse(xml).getElementsByTagName("load");
        for (int i = 0; i < list.getLength(); i++) {
            modules.add(((Element) list.item(i)).getAttribute("module"));
        }
        return modules;
    }
}
