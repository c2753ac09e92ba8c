package dev.baton.traffic;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.bluegreen.Apps;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/** Apps behind a traffic provider, for the integration tests. */
public final class TrafficApps {

  private TrafficApps() {}

  /**
   * The README's example, renamed, with 4 replicas behind {@code provider}: host
   * {@code <name>.example.com}, path {@code /api}, IngressClass nginx for the nginx provider
   * (Traefik's ingress-nginx provider serves it), and for the Gateway API a Gateway named web
   * (which {@link dev.baton.testcluster.AppTraffic} creates for Traefik when the run sends real
   * traffic).
   */
  public static BatonApp behind(KubernetesClient client, String name,
      IngressSpec.Provider provider) {
    BatonApp app = Apps.example(client, name);
    app.getSpec().replicas = 4;
    app.getSpec().ingress = new IngressSpec();
    app.getSpec().ingress.provider = provider;
    app.getSpec().ingress.host = name + ".example.com";
    app.getSpec().ingress.paths = List.of("/api");
    if (provider == IngressSpec.Provider.nginx) {
      app.getSpec().ingress.className = "nginx";
    }
    if (provider == IngressSpec.Provider.gatewayAPI) {
      app.getSpec().ingress.gatewayAPI = new IngressSpec.GatewayApiSpec();
      IngressSpec.ParentRef parent = new IngressSpec.ParentRef();
      parent.name = "web";
      app.getSpec().ingress.gatewayAPI.parentRefs = List.of(parent);
    }
    return app;
  }
}
