package dev.baton.planning;

import dev.baton.api.v1alpha1.IngressSpec;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
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
 * @param previewEndpoints the ready endpoints the EndpointSlice controller lists behind the
 *     preview Service (any version's pods); empty when not observed
 */
public record TrafficObservation(Optional<Integer> weight, boolean wide,
    Set<IngressSpec.Provider> present, String pending, Optional<Instant> currentSince,
    OptionalInt previewEndpoints) {

  /** An observation that does not count the preview Service's endpoints. */
  public TrafficObservation(Optional<Integer> weight, boolean wide,
      Set<IngressSpec.Provider> present, String pending, Optional<Instant> currentSince) {
    this(weight, wide, present, pending, currentSince, OptionalInt.empty());
  }

  /** An observation whose current provider's objects are not dated (long in place). */
  public TrafficObservation(Optional<Integer> weight, boolean wide,
      Set<IngressSpec.Provider> present, String pending) {
    this(weight, wide, present, pending, Optional.empty());
  }

  /**
   * The share of traffic the preview Service may be given: {@code weight}, or 0 while the
   * preview Service has no ready endpoint. A proxy cannot send a request to a Service without
   * one: Traefik fails the whole TraefikService ("no servers found") and answers 404 for every
   * request of the route, ingress-nginx answers 503 for the preview's share. Deployment status
   * can say a pod is available before the EndpointSlice controller lists it (its queue lags,
   * more so after the API server or etcd was away), and a preview Service deleted by hand comes
   * back empty, so the weight follows the endpoints, whatever the strategy decided.
   */
  public int servable(int weight) {
    return weight > 0 && previewEndpoints.isPresent() && previewEndpoints.getAsInt() == 0
        ? 0 : weight;
  }

  /** True when {@link #servable} holds {@code weight} back for want of a ready endpoint. */
  public boolean heldBack(int weight) {
    return servable(weight) != weight;
  }

  /** No traffic object and the Service selects one version. */
  public static final TrafficObservation NONE = new TrafficObservation(Optional.empty(), false,
      Set.of(), "");
}
