package io.ominis.core.ivr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ominis.core.ConfigurationException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy checks itself when built, naming the setting each part comes from, for embedders and the parser alike. */
class IvrTargetPolicySettingsTest {

    @Test
    void aRelativeSoundRootNamesItsSetting() {
        assertThatThrownBy(() -> new IvrTargetPolicy(List.of(Path.of("prompts")), List.of()))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.setting()).isEqualTo("OMINIS_IVR_SOUND_ROOTS"))
                .hasMessageContaining("'prompts' must be an absolute directory");
    }

    @Test
    void anAllowedUrlThatIsNotHttpNamesItsSetting() {
        assertThatThrownBy(() -> new IvrTargetPolicy(List.of(), List.of(URI.create("file:///etc/passwd"))))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.setting()).isEqualTo("OMINIS_IVR_HTTP_ALLOWED_URLS"));
        assertThatThrownBy(() -> IvrTargetPolicy.parseUrls("https://ok.example, ht tp://bad"))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.setting()).isEqualTo("OMINIS_IVR_HTTP_ALLOWED_URLS"));
    }

    @Test
    void rootsAreNormalised() {
        IvrTargetPolicy policy = new IvrTargetPolicy(List.of(Path.of("/srv/./prompts/")), List.of());
        assertThat(policy.soundRoots()).containsExactly(Path.of("/srv/prompts"));
    }
}
