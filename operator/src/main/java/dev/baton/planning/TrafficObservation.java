package dev.baton.planning;

import dev.baton.api.v1alpha1.IngressSpec;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * What the traffic objects in the cache say, read back through the app's provider.
 *
 * @param weight percent of traffic the provider's stored objects send to the new version (the
 *     preview Service), when they exist, are complete, and are confirmed by the route status where
 *     a controller reports one; empty otherwise. Always empty for provider none.
 * @param wide provider none: the active Service selects every pod of the app (both versions of a
 *     canary) rather than only the live version's
 * @param present the providers that have objects of this app in the cluster (to remove the ones no
 *     longer in use once the current one is confirmed)
 * @param pending why the weight is not confirmed yet, for messages (empty when it is)
 * @param currentSince when the newest of the current provider's objects was created (server
 *     time), so that another provider's objects go only once the proxy has had time to serve
 *     these; empty when the current provider has no objects
 */
public record TrafficObservation(Optional<Integer> weight, boolean wide,
    Set<IngressSpec.Provider> present, String pending, Optional<Instant> currentSince) {

  /** An observation whose current provider's objects are not dated (long in place). */
  public TrafficObservation(Optional<Integer> weight, boolean wide,
      Set<IngressSpec.Provider> present, String pending) {
    this(weight, wide, present, pending, Optional.empty());
  }

  /** No traffic object and the Service selects one version. */
  public static final TrafficObservation NONE = new TrafficObservation(Optional.empty(), false,
      Set.of(), "");
}
