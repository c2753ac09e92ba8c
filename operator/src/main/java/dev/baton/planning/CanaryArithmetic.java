package dev.baton.planning;

import java.util.List;

/**
 * The replica and weight arithmetic of stepped rollouts.
 *
 * <p>With an ingress provider the weight is exact and the new version's size follows it:
 * {@code ceil(replicas * weight / 100)}, at least 1, at most replicas (or what setCanaryScale says).
 *
 * <p>Without a provider both versions sit behind the one Service, which spreads requests evenly
 * over ready pods, so the new version's share is {@code c / (replicas + c)} with the live version
 * at full size. For a weight w the new version runs {@code c = round(replicas * w / (100 - w))}
 * pods, at least 1 and at most replicas, so the share never exceeds 50% before promotion. Worked
 * examples with replicas 4: w=10 gives c=0.44, so 1 pod (20%); w=20 gives 1 pod (20%); w=25 gives
 * 1.33, so 1 pod (20%); w=40 gives 2.67, so 3 pods (43%); w=50 and above gives 4 pods (50%).
 */
public final class CanaryArithmetic {

  private CanaryArithmetic() {}

  /** The weight in force at step {@code index}: the last one set at or before it, else 0. */
  public static int weightAt(List<RolloutStep> steps, int index) {
    int weight = 0;
    for (int i = 0; i <= Math.min(index, steps.size() - 1); i++) {
      if (steps.get(i).weight().isPresent()) {
        weight = steps.get(i).weight().get();
      }
    }
    return weight;
  }

  /** The sizing in force at step {@code index}: the last setCanaryScale at or before it. */
  public static RolloutStep.CanaryScale scaleAt(List<RolloutStep> steps, int index) {
    RolloutStep.CanaryScale scale = RolloutStep.CanaryScale.MATCH_WEIGHT;
    for (int i = 0; i <= Math.min(index, steps.size() - 1); i++) {
      if (steps.get(i).scale().isPresent()) {
        scale = steps.get(i).scale().get();
      }
    }
    return scale;
  }

  /** Pods of the new version for a weight, with an ingress provider (exact weights). */
  public static int replicasWithProvider(int replicas, int weight, RolloutStep.CanaryScale scale) {
    if (replicas == 0) {
      return 0;
    }
    if (scale.replicas().isPresent()) {
      return Math.min(scale.replicas().get(), replicas);
    }
    int percent = scale.percent().orElse(weight);
    int pods = (int) Math.ceil(replicas * percent / 100.0);
    return Math.max(1, Math.min(replicas, pods));
  }

  /** Pods of the new version for a weight, without a provider (weight by share of pods). */
  public static int replicasByPodShare(int replicas, int weight) {
    if (replicas == 0) {
      return 0;
    }
    if (weight >= 50) {
      return replicas;
    }
    int pods = (int) Math.round(replicas * weight / (100.0 - weight));
    return Math.max(1, Math.min(replicas, pods));
  }

  /** The share of traffic, in percent, that {@code canary} pods get beside {@code stable} ones. */
  public static int podShare(int stable, int canary) {
    return stable + canary == 0 ? 0 : (int) Math.round(100.0 * canary / (stable + canary));
  }
}
