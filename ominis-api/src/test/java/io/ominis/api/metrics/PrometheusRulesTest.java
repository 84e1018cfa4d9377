package io.ominis.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/prometheus/ominis-rules.yml} is valid ({@code promtool check rules}) and each alert fires on the
 * series that should fire it and not on healthy ones ({@code promtool test rules ominis-rules.test.yml}).
 */
class PrometheusRulesTest {

    @Test
    void rulesAreValid() throws Exception {
        assertThat(Files.exists(Promtool.DEPLOY.resolve("prometheus/ominis-rules.yml"))).isTrue();
        assertThat(Promtool.run(Promtool.DEPLOY.resolve("prometheus"), "check", "rules", "ominis-rules.yml"))
                .contains("SUCCESS");
    }

    @Test
    void alertsFireAsTheUnitTestsSay() throws Exception {
        assertThat(Promtool.run(Promtool.DEPLOY.resolve("prometheus"), "test", "rules", "ominis-rules.test.yml"))
                .contains("SUCCESS");
    }

    @Test
    void aBrokenExpectationFails() throws Exception {
        // guards against a promtool that passes whatever it is given: the same rules, one wrong expectation
        String wrong = """
                rule_files:
                  - %s
                tests:
                  - interval: 1m
                    input_series:
                      - series: 'ominis_freeswitch_node_up{instance="a",node="fs1"}'
                        values: '1x10'
                    alert_rule_test:
                      - eval_time: 5m
                        alertname: OminisFreeSwitchNodeDown
                        exp_alerts:
                          - exp_labels:
                              severity: critical
                              instance: a
                              node: fs1
                """.formatted(Promtool.DEPLOY.resolve("prometheus/ominis-rules.yml"));
        var dir = Promtool.folderWith("wrong.test.yml", wrong);
        Process p = new ProcessBuilder("promtool", "test", "rules", "wrong.test.yml").directory(dir.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isNotZero();
        assertThat(out).contains("FAILED");
    }
}
