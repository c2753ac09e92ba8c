package dev.baton.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.AnalysisPhase;
import dev.baton.api.v1alpha1.ThresholdRange;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rule 1, as a table: what each observation becomes under each kind of condition. */
class MeasurementJudgeTest {

  static Stream<Arguments> rule1() {
    AnalysisMetric range = Metrics.errorRatio("q", 0.05);
    AnalysisMetric min = Metrics.errorRatio("q", 0);
    min.thresholdRange = ThresholdRange.of(0.99, null);
    AnalysisMetric success = Metrics.failureCondition(null);
    success.successCondition = "result >= 0.99";
    AnalysisMetric failure = Metrics.failureCondition("result > 0.05");
    AnalysisMetric both = Metrics.failureCondition("result > 0.5");
    both.successCondition = "result > 0.1";
    AnalysisMetric divides = Metrics.failureCondition("1.0 / result > 2.0");
    AnalysisMetric intDivision = Metrics.failureCondition("int(result) / 0 > 1");
    return Stream.of(
        Arguments.of(range, Observation.value(0.01), AnalysisPhase.Successful),
        Arguments.of(range, Observation.value(0.05), AnalysisPhase.Successful),
        Arguments.of(range, Observation.value(0.2), AnalysisPhase.Failed),
        Arguments.of(range, Observation.value(Double.NaN), AnalysisPhase.Inconclusive),
        Arguments.of(range, Observation.value(Double.POSITIVE_INFINITY),
            AnalysisPhase.Inconclusive),
        Arguments.of(range, Observation.value(Double.NEGATIVE_INFINITY),
            AnalysisPhase.Inconclusive),
        Arguments.of(range, Observation.noData("no series"), AnalysisPhase.Inconclusive),
        Arguments.of(range, Observation.error("HTTP 401"), AnalysisPhase.Error),
        Arguments.of(min, Observation.value(0.98), AnalysisPhase.Failed),
        Arguments.of(min, Observation.value(1), AnalysisPhase.Successful),
        Arguments.of(success, Observation.value(0.995), AnalysisPhase.Successful),
        Arguments.of(success, Observation.value(0.9), AnalysisPhase.Failed),
        Arguments.of(success, Observation.value(Double.NaN), AnalysisPhase.Inconclusive),
        Arguments.of(failure, Observation.value(0.01), AnalysisPhase.Successful),
        Arguments.of(failure, Observation.value(0.06), AnalysisPhase.Failed),
        // success holds and failure holds: failure wins.
        Arguments.of(both, Observation.value(0.7), AnalysisPhase.Failed),
        Arguments.of(both, Observation.value(0.3), AnalysisPhase.Successful),
        Arguments.of(both, Observation.value(0.05), AnalysisPhase.Failed),
        // Double division by zero is +Inf in CEL, compared normally; integer division errs.
        Arguments.of(divides, Observation.value(1), AnalysisPhase.Successful),
        Arguments.of(intDivision, Observation.value(1), AnalysisPhase.Error),
        Arguments.of(range, new Observation.Passed("Job ok"), AnalysisPhase.Successful),
        Arguments.of(range, new Observation.Failed("Job failed"), AnalysisPhase.Failed));
  }

  @ParameterizedTest(name = "[{index}] {1} -> {2}")
  @MethodSource("rule1")
  void aMeasurementPassesOnlyOnAFiniteValueThatMeetsTheCondition(AnalysisMetric metric,
      Observation observation, AnalysisPhase expected) {
    Measured m = MeasurementJudge.judge(observation, MetricCondition.of(metric), Instant.EPOCH);
    assertThat(m.phase()).as(m.message()).isEqualTo(expected);
  }
}
