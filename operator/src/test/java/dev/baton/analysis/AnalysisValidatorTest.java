package dev.baton.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.AnalysisArg;
import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.AnalysisSpec;
import dev.baton.api.v1alpha1.AnalysisTemplateSpec;
import dev.baton.api.v1alpha1.ArgValue;
import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.CanarySpec;
import dev.baton.api.v1alpha1.CanaryStep;
import dev.baton.api.v1alpha1.StrategySpec;
import dev.baton.api.v1alpha1.TemplateRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rule 2: what makes an analysis an invalid spec, and the message that names it. */
class AnalysisValidatorTest {

  static AnalysisTemplateSpec successRate() {
    AnalysisTemplateSpec t = new AnalysisTemplateSpec();
    AnalysisArg threshold = new AnalysisArg();
    threshold.name = "maxErrorRatio";
    threshold.type = AnalysisArg.Type.number;
    AnalysisArg job = new AnalysisArg();
    job.name = "job";
    job.value = "{{baton.app}}";
    t.args = List.of(threshold, job);
    AnalysisMetric m = Metrics.prometheus("error-ratio", "http://prometheus:9090",
        "sum(rate(errors{app=\"{{baton.app}}\",hash=\"{{baton.canaryHash}}\"}[1m])) "
            + "or vector(0)");
    m.failureCondition = "result > {{args.maxErrorRatio}}";
    t.metrics = List.of(m);
    return t;
  }

  static final TemplateLookup TEMPLATES = TemplateLookup.of(Map.of("success-rate", successRate()),
      Map.of("cluster-rate", successRate()));

  /** A canary app whose step 1 runs {@code analysis}. */
  static BatonAppSpec app(Consumer<AnalysisSpec> analysis) {
    BatonAppSpec spec = new BatonAppSpec();
    spec.strategy = new StrategySpec();
    spec.strategy.canary = new CanarySpec();
    AnalysisSpec a = new AnalysisSpec();
    a.templates = new ArrayList<>(List.of(TemplateRef.namespaced("success-rate")));
    a.args = new ArrayList<>(List.of(ArgValue.of("maxErrorRatio", "0.05")));
    analysis.accept(a);
    CanaryStep step = new CanaryStep();
    step.analysis = a;
    spec.strategy.canary.steps = List.of(CanaryStep.weight(10), step);
    return spec;
  }

  /** A canary app whose step 1 runs only its own metric {@code m}. */
  static BatonAppSpec ownMetricOnly(AnalysisMetric m) {
    BatonAppSpec spec = app(a -> {
      a.templates = null;
      a.args = null;
      a.metrics = List.of(m.name);
    });
    spec.analysisMetrics = List.of(m);
    return spec;
  }

  static Stream<Arguments> invalid() {
    return Stream.<Arguments>of(
        Arguments.of(app(a -> a.templates = List.of(TemplateRef.namespaced("nope"))),
            "spec.strategy.canary.steps[1].analysis: templates: BatonAnalysisTemplate 'nope' "
                + "does not exist in namespace shop"),
        Arguments.of(app(a -> a.templates = List.of(TemplateRef.cluster("success-rate"))),
            "ClusterBatonAnalysisTemplate 'success-rate' does not exist"),
        Arguments.of(app(a -> a.args = List.of()),
            "BatonAnalysisTemplate success-rate: argument 'maxErrorRatio' has no value"),
        Arguments.of(app(a -> a.args = List.of(ArgValue.of("maxErrorRatio", "five"))),
            "argument 'maxErrorRatio' is a number, not 'five'"),
        Arguments.of(app(a -> a.args.add(ArgValue.of("maxErrorRatoi", "1"))),
            "args: 'maxErrorRatoi' is not an argument of any of the templates"),
        Arguments.of(app(a -> a.metrics = List.of("missing")),
            "metrics: 'missing' is not in spec.analysisMetrics"));
  }

  @ParameterizedTest
  @MethodSource("invalid")
  void anInvalidAnalysisIsNamed(BatonAppSpec spec, String message) {
    assertThat(AnalysisValidator.problem("shop", "shop", spec, TEMPLATES))
        .hasValueSatisfying(p -> assertThat(p).contains(message));
  }

  @Test
  void aValidAnalysisHasNoProblem() {
    BatonAppSpec spec = app(a -> a.templates.add(TemplateRef.cluster("cluster-rate")));
    // The same metric name from two templates: named.
    assertThat(AnalysisValidator.problem("shop", "shop", spec, TEMPLATES))
        .hasValueSatisfying(p -> assertThat(p).contains("metric names must be unique"));
    assertThat(AnalysisValidator.problem("shop", "shop", app(a -> { }), TEMPLATES)).isEmpty();
  }

  @Test
  void appMetricsAreCheckedAndUnknownVariablesNamed() {
    AnalysisMetric own = Metrics.prometheus("latency", "http://p:9090",
        "histogram_quantile(0.99, x{app=\"{{baton.ap}}\"})");
    own.thresholdRange = dev.baton.api.v1alpha1.ThresholdRange.of(null, 0.5);
    BatonAppSpec spec = ownMetricOnly(own);
    assertThat(AnalysisValidator.problem("shop", "shop", spec, TEMPLATES))
        .hasValueSatisfying(p -> assertThat(p).contains("{{baton.ap}} is not a known variable"));
    own.provider.prometheus.query = "x{app=\"{{baton.app}}\"}";
    assertThat(AnalysisValidator.problem("shop", "shop", spec, TEMPLATES)).isEmpty();
    own.successCondition = "result <";
    own.thresholdRange = null;
    assertThat(AnalysisValidator.problem("shop", "shop", spec, TEMPLATES))
        .hasValueSatisfying(p -> assertThat(p).startsWith("spec.analysisMetrics[0] (latency)")
            .contains("does not compile"));
  }

  @Test
  void aRollingAnalysisIsValidatedAndMustEnd() {
    AnalysisMetric own = Metrics.errorRatio("q", 0.1);
    own.intervalSeconds = 30;
    BatonAppSpec spec = new BatonAppSpec();
    spec.strategy = new StrategySpec();
    spec.strategy.rolling = new dev.baton.api.v1alpha1.RollingSpec();
    spec.strategy.rolling.analysis = new AnalysisSpec();
    spec.strategy.rolling.analysis.metrics = List.of(own.name);
    spec.analysisMetrics = List.of(own);
    assertThat(AnalysisValidator.problem("shop", "shop", spec, TEMPLATES))
        .hasValueSatisfying(p -> assertThat(p).startsWith("spec.strategy.rolling.analysis")
            .contains("give it a count"));
    own.count = 3;
    assertThat(AnalysisValidator.problem("shop", "shop", spec, TEMPLATES)).isEmpty();
    spec.strategy.rolling.analysis.metrics = List.of("missing");
    assertThat(AnalysisValidator.problem("shop", "shop", spec, TEMPLATES))
        .hasValueSatisfying(p -> assertThat(p).contains("missing"));
  }

  @Test
  void aStepAnalysisMustEnd() {
    AnalysisMetric own = Metrics.errorRatio("q", 0.1);
    own.intervalSeconds = 30;
    BatonAppSpec spec = ownMetricOnly(own);
    assertThat(AnalysisValidator.problem("shop", "shop", spec, TEMPLATES))
        .hasValueSatisfying(p -> assertThat(p).contains("give it a count"));
  }

  @Test
  void aJobMetricNeedsAJobTemplateWithContainers() throws Exception {
    AnalysisMetric job = new AnalysisMetric();
    job.name = "smoke";
    job.provider = new dev.baton.api.v1alpha1.MetricProviderSpec();
    job.provider.job = new dev.baton.api.v1alpha1.JobMetric();
    job.provider.job.spec = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree("{\"template\":{\"spec\":{}}}");
    BatonAppSpec withJob = ownMetricOnly(job);
    assertThat(AnalysisValidator.problem("shop", "shop", withJob, TEMPLATES))
        .hasValueSatisfying(p -> assertThat(p).isEqualTo("spec.strategy.canary.steps[1]"
            + ".analysis: metric 'smoke': job.spec needs template.spec.containers"));
    job.provider.job.spec = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        "{\"template\":{\"spec\":{\"containers\":[{\"name\":\"s\",\"image\":\"s:1\"}]}}}");
    assertThat(AnalysisValidator.problem("shop", "shop", withJob, TEMPLATES)).isEmpty();
  }

  @Test
  void argumentsAndVariablesAreSubstituted() {
    AnalysisSpec place = app(a -> { }).strategy.canary.steps.get(1).analysis;
    List<ResolvedMetric> metrics = AnalysisResolver.resolve(place, null, TEMPLATES,
        new AnalysisVariables("shop", "prod", 4, "abc123", "def456", "shop", "shop-preview", 80,
            "shop", 10, 1));
    assertThat(metrics).singleElement().satisfies(m -> {
      assertThat(m.spec().provider.prometheus.query).contains("app=\"shop\"")
          .contains("hash=\"abc123\"");
      assertThat(m.spec().failureCondition).isEqualTo("result > 0.05");
      assertThat(m.source()).isEqualTo("BatonAnalysisTemplate success-rate");
    });
  }

  /** A built-in check without a proxy reads the app's provider's metrics, if Baton knows them. */
  @Test
  void aBuiltInCheckWithoutAProxyNeedsAProviderWithOne() {
    AnalysisMetric m = Metrics.successRate("success", "http://prometheus:9090", null);
    BatonAppSpec spec = ownMetricOnly(m);

    assertThat(AnalysisValidator.problem("shop", "shop", spec, TEMPLATES)).hasValue(
        "spec.strategy.canary.steps[1].analysis: metric 'success' is a built-in check without "
            + "builtIn.proxy, and spec.ingress.provider none has no built-in check: set "
            + "builtIn.proxy (traefik or nginx) or write a query");
    spec.ingress = new dev.baton.api.v1alpha1.IngressSpec();
    spec.ingress.provider = dev.baton.api.v1alpha1.IngressSpec.Provider.nginx;
    assertThat(AnalysisValidator.problem("shop", "shop", spec, TEMPLATES)).isEmpty();
    spec.ingress.provider = dev.baton.api.v1alpha1.IngressSpec.Provider.gatewayAPI;
    m.provider.prometheus.builtIn.proxy = dev.baton.api.v1alpha1.BuiltInCheck.Proxy.traefik;
    assertThat(AnalysisValidator.problem("shop", "shop", spec, TEMPLATES)).isEmpty();
  }
}
