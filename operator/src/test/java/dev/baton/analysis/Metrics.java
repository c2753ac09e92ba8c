package dev.baton.analysis;

import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.BuiltInCheck;
import dev.baton.api.v1alpha1.MetricProviderSpec;
import dev.baton.api.v1alpha1.PrometheusMetric;
import dev.baton.api.v1alpha1.ThresholdRange;

/** Metrics for the analysis tests. */
final class Metrics {

  private Metrics() {}

  /** A Prometheus metric named {@code name} with {@code query} and no condition yet. */
  static AnalysisMetric prometheus(String name, String address, String query) {
    AnalysisMetric m = new AnalysisMetric();
    m.name = name;
    m.provider = new MetricProviderSpec();
    m.provider.prometheus = new PrometheusMetric();
    m.provider.prometheus.address = address;
    m.provider.prometheus.query = query;
    return m;
  }

  /** A built-in success-rate check of {@code proxy} (null: the app's provider's), at least 0.95. */
  static AnalysisMetric successRate(String name, String address, BuiltInCheck.Proxy proxy) {
    AnalysisMetric m = prometheus(name, address, null);
    m.provider.prometheus.builtIn = new BuiltInCheck();
    m.provider.prometheus.builtIn.check = BuiltInCheck.Check.RequestSuccessRate;
    m.provider.prometheus.builtIn.proxy = proxy;
    m.thresholdRange = ThresholdRange.of(0.95, null);
    return m;
  }

  /** An error-ratio metric that fails above {@code max}. */
  static AnalysisMetric errorRatio(String query, double max) {
    AnalysisMetric m = prometheus("error-ratio", "http://127.0.0.1:1", query);
    m.thresholdRange = ThresholdRange.of(null, max);
    return m;
  }

  static AnalysisMetric failureCondition(String expression) {
    AnalysisMetric m = prometheus("m", "http://127.0.0.1:1", "up");
    m.failureCondition = expression;
    return m;
  }
}
