package io.ominis.xmlcurl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares rendered documents with {@code src/test/resources/golden/*.xml}. Run with {@code -Dgolden.update=true} to
 * (re)write the files after an intended change, then review the diff before committing it.
 */
final class Golden {

    private static final Path SOURCE = Path.of("src/test/resources/golden");

    private Golden() {
    }

    static void assertMatches(String name, XmlDocument document) {
        String actual = document.text();
        if (Boolean.getBoolean("golden.update")) {
            try {
                Files.createDirectories(SOURCE);
                Files.writeString(SOURCE.resolve(name), actual, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
            assertThat(in).as("golden file %s (create it with -Dgolden.update=true)", name).isNotNull();
            assertThat(actual).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
