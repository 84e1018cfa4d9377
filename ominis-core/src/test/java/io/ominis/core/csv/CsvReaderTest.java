package io.ominis.core.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

    private static List<CsvRecord> all(String text) {
        CsvReader reader = new CsvReader(new StringReader(text));
        List<CsvRecord> records = new ArrayList<>();
        for (CsvRecord r = reader.next(); r != null; r = reader.next()) {
            records.add(r);
        }
        return records;
    }

    @Test
    void readsQuotesEmbeddedLineBreaksCrlfBomAndBlankLinesWithTheLineEachRecordStartsOn() {
        List<CsvRecord> records = all("\uFEFFa,b,c\r\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n\r\n,,\nlast,,z");
        assertThat(records).extracting(CsvRecord::line).containsExactly(1L, 2L, 5L, 6L);
        assertThat(records.get(0).fields()).containsExactly("a", "b", "c");
        assertThat(records.get(1).fields()).containsExactly("x,1", "say \"hi\"", "two\nlines");
        assertThat(records.get(2).fields()).containsExactly("", "", "");
        assertThat(records.get(3).fields()).containsExactly("last", "", "z");
    }

    @Test
    void refusesBrokenTextNamingTheLine() {
        assertThatThrownBy(() -> all("a\n\"open,b\nc\n")).isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("line 2").hasMessageContaining("not terminated");
        assertThatThrownBy(() -> all("a\nx\"y\n")).isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("line 2: quote inside an unquoted field");
        assertThatThrownBy(() -> all("\"a\"b\n")).isInstanceOf(CsvFormatException.class)
                .hasMessageContaining("text after a closing quote");
        // an unterminated quote must not swallow a large file into memory
        assertThatThrownBy(() -> all("\"" + "x".repeat(CsvReader.MAX_RECORD_CHARS + 10)))
                .isInstanceOf(CsvFormatException.class).hasMessageContaining("longer than");
    }

    @Test
    void writerOutputReadsBackToTheSameFields() {
        StringWriter out = new StringWriter();
        CsvWriter writer = new CsvWriter(out);
        List<String> row = Arrays.asList("plain", "with,comma", "with \"quote\"", "multi\nline", null, "");
        writer.row(row);
        List<CsvRecord> back = all(out.toString());
        assertThat(back).hasSize(1);
        assertThat(back.get(0).fields()).containsExactly("plain", "with,comma", "with \"quote\"", "multi\nline", "", "");
    }
}
