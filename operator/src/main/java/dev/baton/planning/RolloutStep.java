package dev.baton.planning;

import dev.baton.api.v1alpha1.AnalysisSpec;
import dev.baton.api.v1alpha1.BlueGreenSpec;
import dev.baton.api.v1alpha1.CanarySpec;
import dev.baton.api.v1alpha1.CanaryStep;
import dev.baton.api.v1alpha1.TrafficStep;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One step of a stepped rollout, in the one shape the planner runs for both canary steps and
 * blue/green traffic steps: optionally set a weight, optionally size the canary, then optionally
 * hold (for a time, or until a manual promote).
 *
 * @param weight percent of traffic for the new version from this step on, if the step sets it
 * @param scale how the new version is sized from this step on, if the step sets it
 * @param pause whether the step holds once its weight and pods are in place
 * @param pauseFor how long it holds; empty with {@code pause} means until a manual promote
 * @param analysis the analysis the step holds for until its verdict (a canary {@code analysis}
 *     step); no timer passes it
 */
public record RolloutStep(Optional<Integer> weight, Optional<CanaryScale> scale, boolean pause,
    Optional<Duration> pauseFor, Optional<AnalysisSpec> analysis) {

  /** A step without analysis. */
  public RolloutStep(Optional<Integer> weight, Optional<CanaryScale> scale, boolean pause,
      Optional<Duration> pauseFor) {
    this(weight, scale, pause, pauseFor, Optional.empty());
  }

  /**
   * How the new version is sized.
   *
   * @param replicas an exact pod count, or
   * @param percent a percent of spec.replicas (rounded up), or neither: follow the weight
   */
  public record CanaryScale(Optional<Integer> replicas, Optional<Integer> percent) {
    /** Size follows the traffic weight (the default). */
    public static final CanaryScale MATCH_WEIGHT = new CanaryScale(Optional.empty(),
        Optional.empty());
  }

  /** The steps of a canary strategy. */
  public static List<RolloutStep> of(CanarySpec canary) {
    return canary.steps.stream().map(RolloutStep::of).toList();
  }

  /** The steps of a stepped blue/green: each sets a weight and holds. */
  public static List<RolloutStep> of(BlueGreenSpec blueGreen) {
    if (blueGreen.trafficSteps == null) {
      return List.of();
    }
    return blueGreen.trafficSteps.stream().map(RolloutStep::of).toList();
  }

  private static RolloutStep of(TrafficStep t) {
    return new RolloutStep(Optional.of(t.weight), Optional.empty(), true,
        Optional.ofNullable(t.pauseSeconds).map(Duration::ofSeconds),
        Optional.ofNullable(t.analysis));
  }

  private static RolloutStep of(CanaryStep c) {
    if (c.setWeight != null) {
      return new RolloutStep(Optional.of(c.setWeight), Optional.empty(), false, Optional.empty());
    }
    if (c.setCanaryScale != null) {
      var s = c.setCanaryScale;
      return new RolloutStep(Optional.empty(), Optional.of(new CanaryScale(
          Optional.ofNullable(s.replicas), Optional.ofNullable(s.weight))), false,
          Optional.empty());
    }
    if (c.analysis != null) {
      return new RolloutStep(Optional.empty(), Optional.empty(), false, Optional.empty(),
          Optional.of(c.analysis));
    }
    Integer seconds = c.pause == null ? null : c.pause.seconds;
    return new RolloutStep(Optional.empty(), Optional.empty(), true,
        Optional.ofNullable(seconds).map(Duration::ofSeconds));
  }
}
