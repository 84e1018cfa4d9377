package io.ominis.server.realswitch;

import io.ominis.testing.OminisDatabase;
import io.ominis.testing.freeswitch.RealFreeSwitch;
import io.ominis.testing.sip.SipAccount;
import io.ominis.testing.sip.SipPhone;
import io.ominis.testing.sip.SipPhoneSettings;
import io.ominis.testing.sip.Sipp;
import java.util.HashMap;
import java.util.Map;

/**
 * The three fixtures every real-switch test class needs, built in the order they depend on each other: the database,
 * then Ominis (told the switch's XML-RPC port, which is chosen up front), then FreeSWITCH on the configuration that
 * {@code freeswitch-config} generates for that Ominis. Register them with {@code @Order} 1, 2, 3.
 */
final class SwitchFixture {

    final OminisDatabase db;
    final RealFreeSwitch fs;
    final OminisUnderTest ominis;

    private SwitchFixture(OminisDatabase db, RealFreeSwitch.Builder switchBuilder, Map<String, String> ominisEnv) {
        this.db = db;
        OminisUnderTest[] holder = new OminisUnderTest[1];
        this.fs = switchBuilder.configuration(sw -> GeneratedConfiguration.files(holder[0], sw)).build();
        Map<String, String> env = new HashMap<>(ominisEnv);
        env.put("OMINIS_FREESWITCH_NODES", fs.nodeSetting());
        env.putIfAbsent("OMINIS_ACL_RELOAD_WINDOW_MS", "100");
        this.ominis = new OminisUnderTest(db, () -> env);
        holder[0] = ominis;
    }

    static SwitchFixture create(OminisDatabase db) {
        return create(db, RealFreeSwitch.builder(), Map.of());
    }

    static SwitchFixture create(OminisDatabase db, RealFreeSwitch.Builder switchBuilder, Map<String, String> env) {
        return new SwitchFixture(db, switchBuilder, env);
    }

    Rest rest() {
        return new Rest(ominis);
    }

    /** A sipp phone for {@code user} of the test domain, its traces under {@code target/sipp/<traceFolder>}. */
    SipPhone phone(String user, String password, String traceFolder) {
        return new SipPhone(Sipp.locate(), SipPhoneSettings.of(fs.sipPort(),
                new SipAccount(user, password, RealFreeSwitch.DOMAIN),
                java.nio.file.Path.of("target", "sipp", traceFolder).toAbsolutePath()));
    }
}
