package io.ominis.server.realswitch;

import io.ominis.server.Main;
import io.ominis.testing.freeswitch.RealFreeSwitch;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What {@code ominis freeswitch-config} writes for a switch under test, run through the real command line into a
 * scratch folder and read back: the tests start FreeSWITCH on these files and nothing edited by hand.
 */
final class GeneratedConfiguration {

    private GeneratedConfiguration() {
    }

    /** The generated files for {@code fs}, pointing at {@code ominis} and its database. */
    static Map<String, byte[]> files(OminisUnderTest ominis, RealFreeSwitch fs, String... extraArgs) {
        Map<String, String> env = new LinkedHashMap<>(ominis.env());
        env.put("OMINIS_FREESWITCH_SWITCHNAME", fs.switchName());
        env.put("OMINIS_FREESWITCH_XMLRPC_USER", RealFreeSwitch.XMLRPC_USER);
        env.put("OMINIS_FREESWITCH_XMLRPC_PASSWORD", RealFreeSwitch.XMLRPC_PASSWORD);
        try {
            Path out = Files.createTempDirectory("ominis-fs-conf");
            String[] args = Stream.concat(Stream.of("freeswitch-config", "--out", out.toString(),
                    "--server-url", ominis.url(), "--xmlrpc-port", Integer.toString(fs.xmlRpcPort())),
                    Stream.of(extraArgs)).toArray(String[]::new);
            StringWriter stdout = new StringWriter();
            StringWriter stderr = new StringWriter();
            int code = Main.run(args, env, new PrintWriter(stdout, true), new PrintWriter(stderr, true));
            if (code != 0) {
                throw new IllegalStateException("freeswitch-config failed (" + code + "): " + stderr + stdout);
            }
            return RealFreeSwitch.readFolder(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
