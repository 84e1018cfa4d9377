package io.ominis.testing.sip.internal;

import io.ominis.testing.sip.SippException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sipp scenario shipped under {@code io/ominis/testing/sip/}, with values for its {@code @NAME@} placeholders
 * (what sipp itself cannot substitute, such as receive timeouts).
 *
 * @param name resource name, e.g. {@code call.xml}
 * @param placeholders value of each placeholder, keyed by its name without the {@code @}s
 */
public record ScenarioFile(String name, Map<String, String> placeholders) {

    private static final Pattern PLACEHOLDER = Pattern.compile("@[A-Z][A-Z_]*@");

    /** Copies the map. */
    public ScenarioFile {
        Objects.requireNonNull(name, "name");
        placeholders = Map.copyOf(placeholders);
    }

    /**
     * Writes the scenario with every placeholder filled in to {@code target}, where sipp reads it and where it stays
     * beside the traces.
     *
     * @return {@code target}
     */
    public Path writeTo(Path target) {
        String text;
        try (InputStream in = ScenarioFile.class.getResourceAsStream("/io/ominis/testing/sip/" + name)) {
            if (in == null) {
                throw new SippException("scenario " + name + " is missing from the class path");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read scenario " + name, e);
        }
        for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
            text = text.replace("@" + placeholder.getKey() + "@", placeholder.getValue());
        }
        Matcher left = PLACEHOLDER.matcher(text);
        if (left.find()) {
            throw new SippException("scenario " + name + " has no value for " + left.group());
        }
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.writeString(target, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write scenario " + target, e);
        }
        return target;
    }
}
