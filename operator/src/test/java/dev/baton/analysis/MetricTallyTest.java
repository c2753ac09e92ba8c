package dev.baton.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.AnalysisPhase;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The limits, as a table: limits (count, failureLimit, inconclusiveLimit, consecutiveErrorLimit),
 * a sequence of measurements (S successful, F failed, I inconclusive, E error), the verdict.
 */
class MetricTallyTest {

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of(limits(1, 0, 0, 4), "S", AnalysisPhase.Successful),
        Arguments.of(limits(3, 0, 0, 4), "SS", AnalysisPhase.Running),
        Arguments.of(limits(3, 0, 0, 4), "SSS", AnalysisPhase.Successful),
        Arguments.of(limits(3, 0, 0, 4), "SF", AnalysisPhase.Failed),
        Arguments.of(limits(3, 1, 0, 4), "SFS", AnalysisPhase.Successful),
        Arguments.of(limits(5, 1, 0, 4), "SFSF", AnalysisPhase.Failed),
        Arguments.of(limits(3, 0, 0, 4), "I", AnalysisPhase.Inconclusive),
        Arguments.of(limits(3, 0, 1, 4), "ISS", AnalysisPhase.Successful),
        Arguments.of(limits(3, 0, 1, 4), "II", AnalysisPhase.Inconclusive),
        // Errors never count towards count: a metric never passes on errors.
        Arguments.of(limits(1, 0, 0, 4), "E", AnalysisPhase.Running),
        Arguments.of(limits(1, 0, 0, 4), "EEE", AnalysisPhase.Running),
        Arguments.of(limits(1, 0, 0, 4), "EEEE", AnalysisPhase.Failed),
        Arguments.of(limits(1, 0, 0, 4), "EEES", AnalysisPhase.Successful),
        // A success resets the error streak.
        Arguments.of(limits(9, 0, 0, 3), "EESEES", AnalysisPhase.Running),
        Arguments.of(limits(9, 0, 0, 3), "EESEEE", AnalysisPhase.Failed),
        // No measurement passed: not a pass, whatever the limits tolerate.
        Arguments.of(limits(2, 2, 2, 4), "FF", AnalysisPhase.Failed),
        Arguments.of(limits(2, 2, 2, 4), "II", AnalysisPhase.Inconclusive),
        Arguments.of(limits(2, 2, 2, 4), "IF", AnalysisPhase.Failed),
        // Unbounded (background): never passes by itself, fails at the limit.
        Arguments.of(limits(0, 0, 0, 4), "SSSSSSSS", AnalysisPhase.Running),
        Arguments.of(limits(0, 0, 0, 4), "SSSSSSSF", AnalysisPhase.Failed),
        // A verdict never changes: later measurements are ignored.
        Arguments.of(limits(1, 0, 0, 4), "SFFFF", AnalysisPhase.Successful),
        Arguments.of(limits(3, 0, 0, 4), "FSSS", AnalysisPhase.Failed),
        Arguments.of(limits(3, 0, 0, 4), "ISSS", AnalysisPhase.Inconclusive));
  }

  @ParameterizedTest(name = "[{index}] {0} {1} -> {2}")
  @MethodSource("table")
  void limits(MetricTally.Limits limits, String measurements, AnalysisPhase expected) {
    MetricTally t = MetricTally.start(limits);
    for (char c : measurements.toCharArray()) {
      t = t.record(measured(c));
    }
    assertThat(t.phase()).as(t.reason()).isEqualTo(expected);
  }

  static MetricTally.Limits limits(int count, int failure, int inconclusive, int errors) {
    return new MetricTally.Limits(count, failure, inconclusive, errors);
  }

  static Measured measured(char c) {
    AnalysisPhase p = switch (c) {
      case 'S' -> AnalysisPhase.Successful;
      case 'F' -> AnalysisPhase.Failed;
      case 'I' -> AnalysisPhase.Inconclusive;
      default -> AnalysisPhase.Error;
    };
    return new Measured(p, c == 'E' || c == 'I' ? Optional.empty() : Optional.of(0.5), "" + c,
        Instant.EPOCH);
  }
}
