package io.ominis.testing.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SippTest {

    @Test
    void missingSippSaysToInstallSipTester(@TempDir Path empty) {
        assertThatThrownBy(() -> Sipp.locate(Map.of("PATH", empty.toString())))
                .isInstanceOf(SippException.class)
                .hasMessageContaining("apt-get install -y sip-tester")
                .hasMessageContaining("OMINIS_SIPP");
    }

    @Test
    void settingMustNameAnExecutable(@TempDir Path folder) {
        assertThatThrownBy(() -> Sipp.locate(Map.of("OMINIS_SIPP", folder.resolve("nope").toString())))
                .isInstanceOf(SippException.class)
                .hasMessageContaining("is not an executable file");
    }

    @Test
    void settingWinsOverPath(@TempDir Path folder) throws IOException {
        Path fake = Files.createFile(folder.resolve("my-sipp"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

        assertThat(Sipp.locate(Map.of("OMINIS_SIPP", fake.toString(), "PATH", "/usr/bin")).executable())
                .isEqualTo(fake);
    }

    @Test
    void findsSippOnPath(@TempDir Path folder) throws IOException {
        Path fake = Files.createFile(folder.resolve("sipp"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

        assertThat(Sipp.locate(Map.of("PATH", "/nonexistent:" + folder)).executable()).isEqualTo(fake);
    }

    @Test
    void phonesTalkToLoopbackOnly() {
        SipAccount account = new SipAccount("1001", "pw", "127.0.0.1");

        assertThatThrownBy(() -> new SipPhoneSettings("10.0.0.5", 5060, account, 0,
                SipPhoneSettings.DEFAULT_TIMEOUT, SipPhoneSettings.DEFAULT_AGENT_LIFETIME, Path.of("t")))
                .hasMessageContaining("loopback");
        assertThatThrownBy(() -> new SipPhoneSettings("localhost", 5060, account, 0,
                SipPhoneSettings.DEFAULT_TIMEOUT, SipPhoneSettings.DEFAULT_AGENT_LIFETIME, Path.of("t")))
                .hasMessageContaining("loopback");
        assertThat(SipPhoneSettings.of(5080, account, Path.of("t")).switchHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void accountsRefuseWhatWouldBreakTheScenario() {
        assertThatThrownBy(() -> new SipAccount("10 01", "pw", "127.0.0.1")).hasMessageContaining("user");
        assertThatThrownBy(() -> new SipAccount("1001", "pw", "a@b")).hasMessageContaining("domain");
    }
}
