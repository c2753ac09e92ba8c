package dev.baton.traffic;

import dev.baton.planning.AppSettings;
import dev.baton.planning.DesiredObjects;
import dev.baton.planning.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Metadata shared by every provider's objects. */
public final class RouteObjects {

  /** The value of {@link Labels#ROLE} on traffic objects. */
  public static final String ROLE = "ingress";

  /**
   * On each traffic object: the host and paths Baton routed in its last write ({@code host|/a,/b}),
   * so that after a change of host or paths Baton removes its own old entries but keeps the ones
   * others added.
   */
  public static final String MANAGED_ROUTES = "baton.dev/routes";

  private RouteObjects() {}

  /** The value of {@link #MANAGED_ROUTES} for the app's current host and paths. */
  public static String managedRoutes(AppSettings app) {
    return (app.ingress().host == null ? "" : app.ingress().host) + "|"
        + String.join(",", app.paths());
  }

  /**
   * The host and paths a stored object says Baton routed (empty host = any host), or empty when
   * it does not say.
   */
  public static Optional<Map.Entry<String, List<String>>> previousRoutes(
      Optional<? extends HasMetadata> stored) {
    return stored.map(o -> o.getMetadata().getAnnotations())
        .map(a -> a.get(MANAGED_ROUTES))
        .filter(v -> v.contains("|"))
        .map(v -> Map.entry(v.substring(0, v.indexOf('|')),
            List.of(v.substring(v.indexOf('|') + 1).split(","))));
  }

  /** Name of the live version's Service, the stable backend. */
  public static String stableService(AppSettings app) {
    return DesiredObjects.activeServiceName(app.name());
  }

  /** Name of the new version's Service, the weighted backend. */
  public static String previewService(AppSettings app) {
    return DesiredObjects.previewServiceName(app.name());
  }

  /**
   * Metadata of a traffic object: Baton's labels, the owner, the user's extra annotations, the
   * cert-manager issuer when TLS asks for one, and {@code extra} annotations of the provider.
   */
  public static ObjectMeta meta(AppSettings app, OwnerReference owner, String name,
      Map<String, String> extra) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.APP, app.name());
    labels.put(Labels.ROLE, ROLE);
    Map<String, String> annotations = new TreeMap<>();
    if (app.ingress().annotations != null) {
      annotations.putAll(app.ingress().annotations);
    }
    var tls = app.ingress().tls;
    if (tls != null && tls.issuer != null) {
      annotations.put("cert-manager.io/issuer", tls.issuer);
    }
    if (tls != null && tls.clusterIssuer != null) {
      annotations.put("cert-manager.io/cluster-issuer", tls.clusterIssuer);
    }
    annotations.putAll(extra);
    annotations.put(MANAGED_ROUTES, managedRoutes(app));
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(app.namespace())
        .withLabels(labels)
        .withAnnotations(annotations)
        .withOwnerReferences(owner)
        .build();
  }

  /** The stored object of a kind and name, if any. */
  public static <T extends HasMetadata> Optional<T> find(List<HasMetadata> stored, Class<T> type,
      String name) {
    return stored.stream().filter(type::isInstance).map(type::cast)
        .filter(o -> name.equals(o.getMetadata().getName())).findFirst();
  }

  /**
   * Carries the stored resourceVersion into an object whose atomic lists Baton merged with what
   * others wrote: the API server then rejects the write if someone changed it meanwhile, instead
   * of Baton overwriting the newer list.
   */
  public static <T extends HasMetadata> T guarded(T desired, Optional<? extends HasMetadata> stored) {
    DesiredObjects.stamped(desired);
    stored.ifPresent(s -> desired.getMetadata().setResourceVersion(
        s.getMetadata().getResourceVersion()));
    return desired;
  }
}
