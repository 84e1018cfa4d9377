package io.ominis.xmlcurl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NotFoundDocumentTest {

    @Test
    void everyReasonGetsTheSameBytes() {
        NotFoundDocument notFound = new NotFoundDocument();
        for (NotFoundReason reason : NotFoundReason.values()) {
            XmlDocument doc = notFound.render(reason);
            assertThat(doc.notFoundReason()).contains(reason);
            Golden.assertMatches("not-found.xml", doc);
        }
    }

    @Test
    void unsupportedSectionsAndPurposesMapToIt() {
        XmlCurlRequest dialplan = XmlCurlRequest.ofSingle(Map.of("hostname", "fs1", "section", "dialplan",
                "tag_name", "", "key_name", "", "key_value", ""));
        Lookup lookup = dialplan.lookup();

        assertThat(lookup).isEqualTo(new Lookup.Unserved(NotFoundReason.UNSUPPORTED_SECTION, "section dialplan"));
        Golden.assertMatches("not-found.xml", new NotFoundDocument().render(((Lookup.Unserved) lookup).reason()));
    }
}
