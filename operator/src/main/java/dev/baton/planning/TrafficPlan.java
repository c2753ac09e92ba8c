package dev.baton.planning;

import dev.baton.api.v1alpha1.IngressSpec;
import java.time.Duration;
import java.time.Instant;
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
   * How long the current provider's objects are in place before another provider's objects go.
   * A proxy applies a new object some time after the API server has it: Traefik throttles each
   * provider's configuration (2 s by default) and applies every provider on its own, and the
   * ingress-nginx controller syncs on its own schedule. Deleting the old objects the moment the
   * new ones are read back left the host unrouted for about a second (the proxy answered 404),
   * which the traffic ledger caught. Both sets route to the same Services, so keeping the old ones
   * a little longer costs nothing.
   */
  public static final Duration PROVIDER_HANDOVER = Duration.ofSeconds(10);

  /**
   * Providers whose objects go because the app uses another one now: only once the current
   * provider's objects are read back (provider none needs none) and have been in place for
   * {@link #PROVIDER_HANDOVER}, so traffic is never cut.
   */
  static Set<IngressSpec.Provider> removable(Snapshot s) {
    if (removalWait(s).isPresent()) {
      return Set.of();
    }
    var remove = new java.util.HashSet<>(s.traffic().present());
    remove.remove(s.app().provider());
    return Set.copyOf(remove);
  }

  /**
   * How soon to look again while objects of a provider the app no longer uses wait for the
   * current provider's: for their read-back (the settle poll) or for the rest of the handover.
   * The read-back is usually of Baton's own write in this very reconcile, and the informer does
   * not propagate the watch event of an object Baton wrote itself (JOSDK filters it as a result
   * of the reconcile), and the handover's end is no event at all, so the plan must ask to look
   * again. Empty when nothing waits.
   */
  static Optional<Duration> removalWait(Snapshot s) {
    IngressSpec.Provider current = s.app().provider();
    if (s.traffic().present().stream().noneMatch(p -> p != current)
        || current == IngressSpec.Provider.none) {
      return Optional.empty();
    }
    if (s.traffic().weight().isEmpty()) {
      return Optional.of(BlueGreenPlanner.SETTLE_POLL);
    }
    Optional<Instant> handedOver = s.traffic().currentSince().map(t -> t.plus(PROVIDER_HANDOVER));
    return handedOver.filter(t -> t.isAfter(s.now()))
        .map(t -> Duration.between(s.now(), t).plusMillis(100));
  }
}
