package dev.baton.analysis;

import dev.baton.api.v1alpha1.AnalysisPhase;
import java.time.Instant;
import java.util.Optional;

/**
 * One judged measurement: its phase (Successful, Failed, Inconclusive or Error), the value if
 * there was one, why, and when it was taken.
 */
public record Measured(AnalysisPhase phase, Optional<Double> value, String message, Instant at) {

  public Measured {
    if (phase == AnalysisPhase.Running) {
      throw new IllegalArgumentException("a measurement has a verdict, never Running");
    }
  }
}
