package dev.baton.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.AnalysisPhase;
import dev.baton.api.v1alpha1.ThresholdRange;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The analysis metrics: measurements by metric and result, last value and threshold. */
class BatonMetricsAnalysisTest {

  @Test
  void measurementsAreCountedAndTheLastValueSitsBesideItsThresholdUntilTheAppGoes() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    BatonMetrics metrics = new BatonMetrics(registry);

    metrics.measurement("success-rate", AnalysisPhase.Successful);
    metrics.measurement("success-rate", AnalysisPhase.Successful);
    metrics.measurement("success-rate", AnalysisPhase.Error);
    metrics.analysisValue("shop", "api", "success-rate", 0.97, ThresholdRange.of(0.95, null));
    metrics.analysisValue("shop", "api", "success-rate", 0.42, ThresholdRange.of(0.95, null));

    assertThat(registry.get("baton.analysis.measurements").tag("metric", "success-rate")
        .tag("result", "Successful").counter().count()).isEqualTo(2);
    assertThat(registry.get("baton.analysis.measurements").tag("result", "Error").counter()
        .count()).isEqualTo(1);
    assertThat(registry.get("baton.analysis.last.value").tag("app", "api")
        .tag("metric", "success-rate").gauge().value()).isEqualTo(0.42);
    assertThat(registry.get("baton.analysis.threshold").tag("bound", "min").gauge().value())
        .isEqualTo(0.95);
    assertThat(registry.get("baton.analysis.threshold").tag("bound", "max").gauge().value())
        .isNaN();

    metrics.retainOnly(Set.of());
    assertThat(registry.find("baton.analysis.last.value").gauges()).isEmpty();
  }
}
