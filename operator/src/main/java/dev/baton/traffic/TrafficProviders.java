package dev.baton.traffic;

import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.traffic.gatewayapi.GatewayApiProvider;
import dev.baton.traffic.nginx.NginxProvider;
import dev.baton.traffic.traefik.TraefikProvider;
import java.util.Map;
import java.util.Optional;

/** The providers by name; {@code none} has no objects (Service selectors only). */
public final class TrafficProviders {

  private static final Map<IngressSpec.Provider, TrafficProvider> ALL = Map.of(
      IngressSpec.Provider.nginx, new NginxProvider(),
      IngressSpec.Provider.gatewayAPI, new GatewayApiProvider(),
      IngressSpec.Provider.traefik, new TraefikProvider());

  private TrafficProviders() {}

  /** The provider's implementation, or empty for {@code none}. */
  public static Optional<TrafficProvider> of(IngressSpec.Provider provider) {
    return Optional.ofNullable(ALL.get(provider));
  }
}
