package io.ominis.db.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ominis.core.InvalidValueException;
import io.ominis.core.UnavailableException;
import io.ominis.core.ivr.Ivr;
import io.ominis.db.Database;
import io.ominis.db.QueryObserver;
import io.ominis.testing.OminisDatabase;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An SDK user writing through {@code IvrDao} stores keys the way the server does, and reads what it stored. */
class IvrDaoSealingTest {

    @RegisterExtension
    static final OminisDatabase pg = OminisDatabase.migrated();

    private static final SecretKey SECRET = SecretBoxTest.randomKey();
    private Database sealing;

    @BeforeEach
    void clean() {
        sealing = Database.create(pg.dataSource(), new ObjectMapper(), QueryObserver.NONE, SECRET);
        sealing.jdbi().useHandle(h -> h.execute("DELETE FROM ivrs"));
    }

    @Test
    void plainKeysAreStoredSealedAndOpenAgain() {
        Ivr stored = sealing.ivrs().create(Ivr.named("sales").withOpenaiApiKey(IvrApiKeysTest.KEY));
        String column = sealing.jdbi().withHandle(h -> h.createQuery(
                "SELECT openai_api_key FROM ivrs WHERE name = :name").bind("name", "sales").mapTo(String.class).one());
        assertThat(column).isEqualTo(stored.openaiApiKey()).startsWith(SecretBox.VERSION + ":")
                .doesNotContain(IvrApiKeysTest.KEY);
        assertThat(sealing.ivrs().apiKey(sealing.ivrs().get("sales"))).contains(IvrApiKeysTest.KEY);
        assertThat(IvrApiKeys.hint(column)).isEqualTo("sk-…WxYz");

        // an already sealed key (as the server writes it) is kept, not sealed twice
        Ivr again = sealing.ivrs().update(stored.withOpenaiApiKey(column));
        assertThat(again.openaiApiKey()).isEqualTo(column);
        Ivr modified = sealing.ivrs().modify("sales", i -> i.withOpenaiApiKey(IvrApiKeysTest.KEY.replace('A', 'B')));
        assertThat(sealing.ivrs().apiKey(modified)).contains(IvrApiKeysTest.KEY.replace('A', 'B'));
    }

    @Test
    void withoutTheSecretKeyAStoredKeyIsUnavailableAndBadKeysAreRefused() {
        sealing.ivrs().create(Ivr.named("sales").withOpenaiApiKey(IvrApiKeysTest.KEY));
        Database other = Database.create(pg.dataSource());
        assertThatThrownBy(() -> other.ivrs().apiKey(other.ivrs().get("sales")))
                .isInstanceOf(UnavailableException.class);
        assertThatThrownBy(() -> sealing.ivrs().create(Ivr.named("short").withOpenaiApiKey("sk-short")))
                .isInstanceOfSatisfying(InvalidValueException.class,
                        e -> assertThat(e.field()).isEqualTo("openai_api_key"));
        assertThat(sealing.ivrs().find("short")).isEmpty();
    }
}
