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

  /** All traffic through the active Service (no weight, no spanning), for a strategy without steps. */
  public static TrafficPlan allToActive(Snapshot s) {
    return new TrafficPlan(0, false, removable(s), Optional.empty(), 0);
  }

  /**
   * Providers whose objects go because the app uses another one now: only once the current
   * provider's objects are read back (provider none needs none), so traffic is never cut.
   */
  static Set<IngressSpec.Provider> removable(Snapshot s) {
    IngressSpec.Provider current = s.app().provider();
    boolean confirmed = current == IngressSpec.Provider.none || s.traffic().weight().isPresent();
    if (!confirmed) {
      return Set.of();
    }
    var remove = new java.util.HashSet<>(s.traffic().present());
    remove.remove(current);
    return Set.copyOf(remove);
  }

  /**
   * True while objects of a provider the app no longer uses wait for the current provider's
   * objects to be read back. The read-back is usually of Baton's own write in this very
   * reconcile, and the informer does not propagate the watch event of an object Baton wrote
   * itself (JOSDK filters it as a result of the reconcile), so no event may ever wake the app
   * to finish the removal: the plan must ask to look again.
   */
  static boolean removalAwaitsReadBack(Snapshot s) {
    IngressSpec.Provider current = s.app().provider();
    boolean confirmed = current == IngressSpec.Provider.none || s.traffic().weight().isPresent();
    return !confirmed && s.traffic().present().stream().anyMatch(p -> p != current);
  }
}
