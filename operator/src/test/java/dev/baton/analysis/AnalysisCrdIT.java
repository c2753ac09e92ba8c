package dev.baton.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testcluster.InProcessOperator;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import dev.baton.testcluster.Tools;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The analysis CRDs' schema and CEL rules, on the real API server: the API server accepts the
 * CRDs (their rules within the cost budget), and rejects a metric without a condition and the
 * other mistakes the schema can name, with the rule's message.
 */
@ExtendWith(TestClusterExtension.class)
class AnalysisCrdIT {

  static final String METRIC = """
      - name: error-ratio
        provider:
          prometheus:
            address: http://prometheus:9090
            query: vector(0)
      """;

  static String template(String metrics) {
    return """
        apiVersion: baton.dev/v1alpha1
        kind: BatonAnalysisTemplate
        metadata:
          name: t
        spec:
          metrics:
        """ + metrics.indent(2);
  }

  @BeforeAll
  static void crds(TestCluster cluster) {
    InProcessOperator.installCrd(cluster.client());
  }

  static Stream<Arguments> rejected() {
    return Stream.of(
        Arguments.of(template(METRIC), "a metric needs thresholdRange, successCondition or "
            + "failureCondition"),
        Arguments.of(template(METRIC + "  thresholdRange: {}\n"),
            "thresholdRange needs min, max or both"),
        Arguments.of(template(METRIC + "  thresholdRange: {min: 2, max: 1}\n"),
            "thresholdRange.min must not be greater than max"),
        Arguments.of(template(METRIC + "  thresholdRange: {max: 1}\n"
            + "  failureCondition: result > 1\n"), "either thresholdRange or CEL conditions"),
        Arguments.of(template(METRIC.replace("query: vector(0)", "query: vector(0)\n"
            + "      builtIn: {check: RequestSuccessRate}") + "  thresholdRange: {min: 1}\n"),
            "exactly one of query and builtIn"),
        Arguments.of(template(METRIC.replace("http://prometheus", "prometheus")
            + "  thresholdRange: {min: 1}\n"), "must be an http:// or https:// URL"),
        Arguments.of("""
            apiVersion: baton.dev/v1alpha1
            kind: BatonApp
            metadata:
              name: no-steps
            spec:
              template:
                metadata: {labels: {app: no-steps}}
                spec: {containers: [{name: api, image: api:1}]}
              service: {port: 80}
              strategy:
                blueGreen:
                  analysis: {metrics: [error-ratio]}
            """, "analysis runs beside trafficSteps"));
  }

  @ParameterizedTest
  @MethodSource("rejected")
  void theSchemaRejectsWhatItCanName(String yaml, String message, TestCluster cluster) {
    Tools.Result r = Tools.kubectl(cluster, yaml, "apply", "--server-side", "--dry-run=server",
        "-n", cluster.namespace(), "-f", "-");
    assertThat(r.exitCode()).as(r.output()).isNotZero();
    assertThat(r.output()).contains(message);
  }

  @Test
  void aValidTemplateAndAJobMetricWithoutConditionAreAccepted(TestCluster cluster) {
    String job = """
        - name: smoke
          provider:
            job:
              spec:
                template:
                  spec:
                    containers:
                    - {name: smoke, image: busybox, args: [wget, http://shop-preview]}
        """;
    Tools.Result r = Tools.kubectl(cluster, template(METRIC + "  failureCondition: result > 0.05\n"
        + job), "apply", "--server-side", "--dry-run=server", "-n", cluster.namespace(), "-f",
        "-");
    assertThat(r.exitCode()).as(r.output()).isZero();
  }
}
