package dev.baton.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.ThresholdRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Conditions compile once, or the metric is invalid with a message naming the field. */
class MetricConditionTest {

  @ParameterizedTest
  @ValueSource(strings = {"result >", "result > 'a'", "result + 1", "resul > 1", "size(result)"})
  void aConditionThatDoesNotCompileIsInvalid(String expression) {
    assertThatThrownBy(() -> MetricCondition.of(Metrics.failureCondition(expression)))
        .isInstanceOf(InvalidAnalysisException.class)
        .hasMessageContaining("failureCondition '" + expression + "' does not compile");
  }

  @Test
  void aMetricWithNeitherConditionNorThresholdIsInvalid() {
    AnalysisMetric m = Metrics.failureCondition(null);
    assertThatThrownBy(() -> MetricCondition.of(m)).isInstanceOf(InvalidAnalysisException.class)
        .hasMessageContaining("needs thresholdRange, successCondition or failureCondition");
    m.thresholdRange = new ThresholdRange();
    assertThatThrownBy(() -> MetricCondition.of(m)).hasMessageContaining("min, max or both");
  }

  @Test
  void describesWhatPasses() {
    assertThat(MetricCondition.of(Metrics.errorRatio("q", 0.05)).describe())
        .isEqualTo("[-inf, 0.05]");
    AnalysisMetric both = Metrics.failureCondition("result > 0.5");
    both.successCondition = "result > 0.1";
    assertThat(MetricCondition.of(both).describe())
        .isEqualTo("success: result > 0.1; failure: result > 0.5");
  }
}
