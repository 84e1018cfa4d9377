package io.ominis.bench;

import io.ominis.testing.freeswitch.RealFreeSwitch;
import io.ominis.testing.sip.Sipp;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A registration storm on a real FreeSWITCH 1.10.12: N users REGISTER with digest auth at a fixed rate (sipp), once
 * with the directory served by Ominis over mod_xml_curl (a freshly started server, so every lookup is a cache miss,
 * as after a restart) and once with the same users in FreeSWITCH's static XML directory, the floor for FreeSWITCH
 * itself. Both switches run exactly what {@code freeswitch-config} generates (core and CDR on PostgreSQL); the static
 * one only loses the directory binding of xml_curl.conf and gains the users as a file.
 *
 * <p>Usage: {@code RegistrationStorm --server-jar PATH [--users 10000] [--rates 250,500] [--out FILE]}; exits 1 when,
 * at a rate the static directory sustains at 100%, Ominis is below 100% success, below 0.8 of its rate, or above 2x
 * its p99.
 */
public final class RegistrationStorm {

    private static final int FIRST = 200_000;
    private static final String PASSWORD_PREFIX = "Storm-Pass-";

    private final Path serverJar;
    private final int users;
    private final List<Integer> rates;
    private final Path work;

    private RegistrationStorm(Path serverJar, int users, List<Integer> rates) throws IOException {
        this.serverJar = serverJar;
        this.users = users;
        this.rates = rates;
        this.work = Files.createDirectories(Path.of("target", "storm-bench").toAbsolutePath());
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        if (!opts.containsKey("--server-jar")) {
            System.err.println("usage: RegistrationStorm --server-jar PATH [--users 10000] [--rates 250,500] [--out FILE]");
            System.exit(2);
        }
        List<Integer> rates = Arrays.stream(opts.getOrDefault("--rates", "250,500").split(","))
                .map(String::strip).map(Integer::parseInt).toList();
        RegistrationStorm storm = new RegistrationStorm(Path.of(opts.get("--server-jar")),
                Integer.parseInt(opts.getOrDefault("--users", "10000")), rates);
        String report = storm.run();
        System.out.println(report);
        if (opts.containsKey("--out")) {
            Files.writeString(Path.of(opts.get("--out")), report);
        }
        System.exit(report.contains("BELOW GOAL") ? 1 : 0);
    }

    /** One sipp run: how many registrations succeeded and the REGISTER-to-200 times of those that did. */
    record Outcome(String directory, int rate, int succeeded, int failed, double seconds, double[] millis) {
        double p(double q) {
            if (millis.length == 0) {
                return Double.NaN;
            }
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
        }

        double achieved() {
            return succeeded / seconds;
        }

        String row() {
            return String.format(Locale.ROOT, "| %s | %d/s | %d | %d | %.1f%% | %.0f/s | %.2f | %.2f |", directory, rate,
                    succeeded, failed, 100.0 * succeeded / (succeeded + failed), achieved(), p(0.5), p(0.99));
        }
    }

    private String run() throws Exception {
        OminisProcess ominis = new OminisProcess(serverJar, "ominis_bench_storm", work);
        ominis.exec("migrate");
        seed(ominis.jdbcUrl());
        Path usersCsv = work.resolve("users.csv");
        StringBuilder csv = new StringBuilder("SEQUENTIAL\n");
        for (int i = 0; i < users; i++) {
            // sipp 3.6 does not expand [fieldN] inside [authentication ...]; a field holding the whole keyword works
            csv.append(FIRST + i).append(";[authentication username=").append(FIRST + i).append(" password=")
                    .append(password(FIRST + i)).append("]\n");
        }
        Files.writeString(usersCsv, csv);
        Path scenario = work.resolve("storm-register.xml");
        try (InputStream in = RegistrationStorm.class.getResourceAsStream("storm-register.xml")) {
            Files.write(scenario, in.readAllBytes());
        }
        Sipp sipp = Sipp.locate();

        List<Outcome> outcomes = new ArrayList<>();
        String load = Files.readString(Path.of("/proc/loadavg")).strip();
        String prefix;
        // The floor first: FreeSWITCH with the users in a static file, no directory binding.
        RealFreeSwitch stat = RealFreeSwitch.builder()
                .configuration(sw -> staticDirectory(ominis.generatedConfiguration(sw, work.resolve("static"))))
                .build();
        ominis.nodes(stat.nodeSetting());
        Process server = ominis.start(work.resolve("server-static.log")); // configuration section still needs it
        try {
            stat.use(work.resolve("freeswitch-static"));
            stat.start();
            prefix = stat.prefix().getFileName().toString();
            for (int rate : rates) {
                outcomes.add(storm(sipp, stat, "static XML", rate, scenario, usersCsv));
            }
        } finally {
            stat.stop();
            stop(server);
        }
        RealFreeSwitch curl = RealFreeSwitch.builder()
                .configuration(sw -> ominis.generatedConfiguration(sw, work.resolve("ominis")))
                .build();
        ominis.nodes(curl.nodeSetting());
        for (int rate : rates) {
            // A fresh server per rate: every lookup of the storm misses the cache, as after a restart.
            server = ominis.start(work.resolve("server-" + rate + ".log"));
            try {
                curl.use(work.resolve("freeswitch-ominis-" + rate));
                curl.start();
                outcomes.add(storm(sipp, curl, "Ominis (mod_xml_curl, cold cache)", rate, scenario, usersCsv));
            } finally {
                curl.stop();
                stop(server);
            }
        }
        return report(outcomes, prefix, load);
    }

    private String report(List<Outcome> outcomes, String prefix, String load) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "## Registration storm on a real FreeSWITCH%n%n"
                + "FreeSWITCH %s; %d users, each one REGISTER answered 401 then, with digest credentials, 200 (sipp over "
                + "UDP on loopback, one socket); the time is first REGISTER to 200. Load average before: %s; %d cores."
                + "%n%n| directory | offered | succeeded | failed | success | achieved | p50 ms | p99 ms |%n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|%n", prefix, users, load,
                Runtime.getRuntime().availableProcessors()));
        outcomes.forEach(o -> out.append(o.row()).append('\n'));
        out.append('\n');
        boolean below = false;
        for (int rate : rates) {
            Outcome floor = find(outcomes, "static XML", rate);
            Outcome ours = find(outcomes, "Ominis", rate);
            if (floor.failed() > 0) {
                out.append(String.format(Locale.ROOT, "At %d/s the static directory itself lost %d registrations: "
                        + "not a rate this machine sustains, no verdict.%n", rate, floor.failed()));
                continue;
            }
            double rateRatio = ours.achieved() / floor.achieved();
            double p99Ratio = ours.p(0.99) / floor.p(0.99);
            boolean ok = ours.failed() == 0 && rateRatio >= 0.8 && p99Ratio <= 2.0;
            below |= !ok;
            out.append(String.format(Locale.ROOT, "At %d/s: Ominis ÷ static, achieved rate %.2f (goal ≥ 0.8), p99 %.2f "
                    + "(goal ≤ 2), success %s — %s.%n", rate, rateRatio, p99Ratio,
                    ours.failed() == 0 ? "100%" : "below 100%", ok ? "goal met" : "BELOW GOAL"));
        }
        return out.toString();
    }

    private static Outcome find(List<Outcome> outcomes, String directory, int rate) {
        return outcomes.stream().filter(o -> o.directory().startsWith(directory) && o.rate() == rate).findFirst()
                .orElseThrow();
    }

    private Outcome storm(Sipp sipp, RealFreeSwitch fs, String directory, int rate, Path scenario, Path usersCsv)
            throws IOException, InterruptedException {
        Path dir = Files.createDirectories(work.resolve("sipp-" + directory.split(" ")[0].toLowerCase(Locale.ROOT)
                + "-" + rate));
        try (Stream<Path> old = Files.list(dir)) {
            old.forEach(p -> p.toFile().delete());
        }
        List<String> command = List.of(sipp.executable().toString(), "127.0.0.1:" + fs.sipPort(),
                "-sf", scenario.toString(), "-inf", usersCsv.toString(), "-key", "domain", RealFreeSwitch.DOMAIN,
                "-m", Integer.toString(users), "-r", Integer.toString(rate), "-rp", "1000", "-l", "5000",
                "-t", "u1", "-i", "127.0.0.1", "-p", Integer.toString(OminisProcess.freePort()),
                "-recv_timeout", "10000", "-timeout", "600s", "-nostdin", "-trace_stat", "-stf", "stat.csv",
                "-trace_rtt", "-rtt_freq", "1", "-trace_err");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sipp.log").toFile()).start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("sipp did not finish; see " + dir);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int[] counts = counts(dir.resolve("stat.csv"));
        double[] millis = responseTimes(dir);
        return new Outcome(directory, rate, counts[0], counts[1], seconds, millis);
    }

    /** Successful and failed calls from the last line of sipp's statistics file. */
    private static int[] counts(Path statCsv) throws IOException {
        List<String> lines = Files.readAllLines(statCsv);
        List<String> header = List.of(lines.get(0).split(";"));
        String[] last = lines.get(lines.size() - 1).split(";");
        return new int[] {Integer.parseInt(last[header.indexOf("SuccessfulCall(C)")].strip()),
            Integer.parseInt(last[header.indexOf("FailedCall(C)")].strip())};
    }

    /** Response times in milliseconds from sipp's {@code *_rtt.csv} (date_ms;response_time_ms;rtd_no). */
    private static double[] responseTimes(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            Path rtt = files.filter(f -> f.getFileName().toString().endsWith("_rtt.csv")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("sipp wrote no response times in " + dir));
            return Files.readAllLines(rtt).stream().skip(1).map(l -> l.split(";")).filter(f -> f.length >= 2)
                    .mapToDouble(f -> Double.parseDouble(f[1].strip())).toArray();
        }
    }

    private static void stop(Process server) throws InterruptedException {
        server.destroy();
        if (!server.waitFor(10, TimeUnit.SECONDS)) {
            server.destroyForcibly();
        }
    }

    private void seed(String jdbcUrl) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
             PreparedStatement st = c.prepareStatement(
                     "INSERT INTO extensions (number, password, display_name) SELECT g::text, ? || g, 'Storm ' || g "
                             + "FROM generate_series(?, ?) AS g")) {
            st.setString(1, PASSWORD_PREFIX);
            st.setInt(2, FIRST);
            st.setInt(3, FIRST + users - 1);
            st.executeUpdate();
        }
    }

    private static String password(int user) {
        return PASSWORD_PREFIX + user;
    }

    /** The generated files without the directory binding, and the same users as a static directory file. */
    private Map<String, byte[]> staticDirectory(Map<String, byte[]> generated) {
        Map<String, byte[]> files = new LinkedHashMap<>(generated);
        String xmlCurl = new String(files.get("autoload_configs/xml_curl.conf.xml"), StandardCharsets.UTF_8);
        String without = Pattern.compile("<binding name=\"ominis-directory\">.*?</binding>", Pattern.DOTALL)
                .matcher(xmlCurl).replaceFirst("");
        if (without.equals(xmlCurl)) {
            throw new IllegalStateException("no ominis-directory binding in the generated xml_curl.conf.xml");
        }
        files.put("autoload_configs/xml_curl.conf.xml", without.getBytes(StandardCharsets.UTF_8));
        files.put("directory/storm.xml", directoryFile());
        return files;
    }

    private byte[] directoryFile() {
        StringWriter text = new StringWriter();
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
            // FreeSWITCH's preprocessor works on lines and drops the whole <include> line: each element on its own
            w.writeStartElement("include");
            w.writeCharacters("\n");
            w.writeStartElement("domain");
            w.writeAttribute("name", RealFreeSwitch.DOMAIN);
            w.writeCharacters("\n");
            w.writeStartElement("groups");
            w.writeStartElement("group");
            w.writeAttribute("name", "default");
            w.writeStartElement("users");
            for (int i = 0; i < users; i++) {
                // one user per line: FreeSWITCH's preprocessor reads the file line by line
                w.writeCharacters("\n");
                w.writeStartElement("user");
                w.writeAttribute("id", Integer.toString(FIRST + i));
                w.writeStartElement("params");
                w.writeEmptyElement("param");
                w.writeAttribute("name", "password");
                w.writeAttribute("value", password(FIRST + i));
                w.writeEndElement();
                w.writeEndElement();
            }
            w.writeEndElement(); // users
            w.writeEndElement(); // group
            w.writeEndElement(); // groups
            w.writeEndElement(); // domain
            w.writeCharacters("\n");
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new UncheckedIOException(new IOException(e));
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
