package dev.baton.traffic.traefik;

import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.planning.AppSettings;
import dev.baton.traffic.RouteObjects;
import dev.baton.traffic.TrafficProvider;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Traefik: a TraefikService {@code <app>} that splits between the live and the preview Service by
 * weight, and an IngressRoute {@code <app>} whose route for the app's host and paths points at it.
 * Routes others add to the IngressRoute are kept (the routes list is stored as one value).
 */
public final class TraefikProvider implements TrafficProvider {

  public static final String API_VERSION = "traefik.io/v1alpha1";
  public static final String TRAEFIK_SERVICE = "TraefikService";
  public static final String INGRESS_ROUTE = "IngressRoute";

  @Override
  public IngressSpec.Provider provider() {
    return IngressSpec.Provider.traefik;
  }

  /** The Traefik rule matching the app's host and paths. */
  public static String match(AppSettings app) {
    String paths = app.paths().stream().map(p -> "PathPrefix(`" + p + "`)")
        .collect(Collectors.joining(" || "));
    if (app.paths().size() > 1) {
      paths = "(" + paths + ")";
    }
    return app.ingress().host == null ? paths : "Host(`" + app.ingress().host + "`) && " + paths;
  }

  @Override
  public List<HasMetadata> desired(AppSettings app, OwnerReference owner, int weight,
      List<HasMetadata> stored) {
    Optional<GenericKubernetesResource> service = find(stored, TRAEFIK_SERVICE, app.name());
    Optional<GenericKubernetesResource> route = find(stored, INGRESS_ROUTE, app.name());

    GenericKubernetesResource ts = new GenericKubernetesResource();
    ts.setApiVersion(API_VERSION);
    ts.setKind(TRAEFIK_SERVICE);
    ts.setMetadata(RouteObjects.meta(app, owner, app.name(), Map.of()));
    // A Service at weight 0 is left out: Traefik (allowEmptyServices false, its default) fails
    // the whole TraefikService while any Service in it has no endpoints, and the route then
    // answers 404 for every request. The preview Service is empty before its pods start and
    // after the old version is scaled down; the traffic benchmark caught the 404s.
    List<Map<String, Object>> services = new ArrayList<>();
    if (weight < 100) {
      services.add(weighted(RouteObjects.stableService(app), app.servicePort(), 100 - weight));
    }
    if (weight > 0) {
      services.add(weighted(RouteObjects.previewService(app), app.servicePort(), weight));
    }
    ts.setAdditionalProperty("spec", Map.of("weighted", Map.of("services", services)));

    Map<String, Object> ours = new LinkedHashMap<>();
    ours.put("kind", "Rule");
    ours.put("match", match(app));
    ours.put("services", List.of(Map.of("name", app.name(), "kind", TRAEFIK_SERVICE)));
    List<Object> routes = new ArrayList<>();
    routes.add(ours);
    String previous = RouteObjects.previousRoutes(route).isPresent()
        ? route.get().getMetadata().getAnnotations().get(PREVIOUS_MATCH) : null;
    routesOf(route).stream()
        .filter(r -> !match(app).equals(r.get("match")))
        .filter(r -> previous == null || !previous.equals(r.get("match")))
        .forEach(routes::add);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("routes", routes);
    if (app.ingress().tls != null) {
      spec.put("tls", Map.of("secretName", app.ingress().tls.secretName));
    }
    GenericKubernetesResource ir = new GenericKubernetesResource();
    ir.setApiVersion(API_VERSION);
    ir.setKind(INGRESS_ROUTE);
    ir.setMetadata(RouteObjects.meta(app, owner, app.name(), Map.of(PREVIOUS_MATCH, match(app))));
    ir.setAdditionalProperty("spec", spec);
    return List.of(RouteObjects.guarded(ts, service), RouteObjects.guarded(ir, route));
  }

  /** On the IngressRoute: the match of Baton's route, to tell it from routes others added. */
  static final String PREVIOUS_MATCH = "baton.dev/traefik-match";

  @Override
  public ReadBack readBack(AppSettings app, List<HasMetadata> stored) {
    Optional<GenericKubernetesResource> service = find(stored, TRAEFIK_SERVICE, app.name());
    Optional<GenericKubernetesResource> route = find(stored, INGRESS_ROUTE, app.name());
    if (service.isEmpty() || route.isEmpty()) {
      return ReadBack.pending("the TraefikService and IngressRoute " + app.name()
          + " are not both stored yet");
    }
    if (routesOf(route).stream().noneMatch(r -> match(app).equals(r.get("match")))) {
      return ReadBack.pending("the IngressRoute " + app.name() + " has no route " + match(app));
    }
    int stable = 0;
    int preview = 0;
    for (Map<String, Object> s : list(path(service.get().getAdditionalProperties(), "spec",
        "weighted", "services"))) {
      int w = s.get("weight") instanceof Number n ? n.intValue() : 1;
      if (RouteObjects.stableService(app).equals(s.get("name"))) {
        stable += w;
      } else if (RouteObjects.previewService(app).equals(s.get("name"))) {
        preview += w;
      }
    }
    if (stable + preview == 0) {
      return ReadBack.pending("the TraefikService " + app.name() + " sends no traffic");
    }
    return ReadBack.confirmed((int) Math.round(100.0 * preview / (stable + preview)));
  }

  private static Map<String, Object> weighted(String name, int port, int weight) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("port", port);
    m.put("weight", weight);
    return m;
  }

  private static List<Map<String, Object>> routesOf(Optional<GenericKubernetesResource> route) {
    return route.map(r -> list(path(r.getAdditionalProperties(), "spec", "routes")))
        .orElse(List.of());
  }

  private static Optional<GenericKubernetesResource> find(List<HasMetadata> stored, String kind,
      String name) {
    return stored.stream().filter(GenericKubernetesResource.class::isInstance)
        .map(GenericKubernetesResource.class::cast)
        .filter(r -> kind.equals(r.getKind()) && name.equals(r.getMetadata().getName()))
        .findFirst();
  }

  private static Object path(Map<String, Object> root, String... keys) {
    Object current = root;
    for (String key : keys) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(key);
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object value) {
    if (!(value instanceof List<?> list)) {
      return List.of();
    }
    return list.stream().filter(Map.class::isInstance).map(m -> (Map<String, Object>) m)
        .toList();
  }
}
