package dev.baton.planning;

import dev.baton.api.v1alpha1.IngressSpec;
import java.util.Optional;
import java.util.Set;

/**
 * The traffic a plan wants.
 *
 * @param weight percent of traffic the provider should send to the preview Service
 * @param wide provider none: the active Service selects both versions (a canary by pod share)
 * @param remove providers whose objects go, because the app uses another one now and that one is
 *     confirmed
 * @param currentStep the step a stepped rollout is at, for status
 * @param reportedWeight the share of traffic the new version has, as read back, for status
 */
public record TrafficPlan(int weight, boolean wide, Set<IngressSpec.Provider> remove,
    Optional<Integer> currentStep, int reportedWeight) {

  /** All traffic on the live version, no steps. */
  public static final TrafficPlan IDLE = new TrafficPlan(0, false, Set.of(), Optional.empty(), 0);
}
