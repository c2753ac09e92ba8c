package dev.baton.traffic.nginx;

import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.planning.AppSettings;
import dev.baton.traffic.RouteObjects;
import dev.baton.traffic.TrafficProvider;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * ingress-nginx: an Ingress {@code <app>} to the live version's Service, and a canary Ingress
 * {@code <app>-canary} for the same host and paths to the preview Service, weighted with
 * {@code nginx.ingress.kubernetes.io/canary-weight} out of {@code canary-weight-total: 100}.
 */
public final class NginxProvider implements TrafficProvider {

  public static final String CANARY = "nginx.ingress.kubernetes.io/canary";
  public static final String CANARY_WEIGHT = "nginx.ingress.kubernetes.io/canary-weight";
  public static final String CANARY_WEIGHT_TOTAL =
      "nginx.ingress.kubernetes.io/canary-weight-total";
  public static final String CANARY_BY_HEADER = "nginx.ingress.kubernetes.io/canary-by-header";
  public static final String CANARY_BY_HEADER_VALUE =
      "nginx.ingress.kubernetes.io/canary-by-header-value";
  public static final String CANARY_BY_COOKIE = "nginx.ingress.kubernetes.io/canary-by-cookie";

  /** Name of the live version's Ingress. */
  public static String stableName(AppSettings app) {
    return app.name();
  }

  /** Name of the canary Ingress. */
  public static String canaryName(AppSettings app) {
    return app.name() + "-canary";
  }

  @Override
  public IngressSpec.Provider provider() {
    return IngressSpec.Provider.nginx;
  }

  @Override
  public List<HasMetadata> desired(AppSettings app, OwnerReference owner, int weight,
      List<HasMetadata> stored) {
    Optional<Ingress> stable = RouteObjects.find(stored, Ingress.class, stableName(app));
    Optional<Ingress> canary = RouteObjects.find(stored, Ingress.class, canaryName(app));
    Map<String, String> canaryAnnotations = new TreeMap<>();
    canaryAnnotations.put(CANARY, "true");
    canaryAnnotations.put(CANARY_WEIGHT, Integer.toString(weight));
    canaryAnnotations.put(CANARY_WEIGHT_TOTAL, "100");
    IngressSpec.NginxSpec nginx = app.ingress().nginx;
    if (nginx != null) {
      putIfSet(canaryAnnotations, CANARY_BY_HEADER, nginx.header);
      putIfSet(canaryAnnotations, CANARY_BY_HEADER_VALUE, nginx.headerValue);
      putIfSet(canaryAnnotations, CANARY_BY_COOKIE, nginx.cookie);
    }
    return List.of(
        RouteObjects.guarded(ingress(app, owner, stableName(app), RouteObjects.stableService(app),
            Map.of(), stable, true), stable),
        RouteObjects.guarded(ingress(app, owner, canaryName(app),
            RouteObjects.previewService(app), canaryAnnotations, canary, false), canary));
  }

  @Override
  public ReadBack readBack(AppSettings app, List<HasMetadata> stored) {
    Optional<Ingress> stable = RouteObjects.find(stored, Ingress.class, stableName(app));
    Optional<Ingress> canary = RouteObjects.find(stored, Ingress.class, canaryName(app));
    if (stable.isEmpty() || canary.isEmpty()) {
      return ReadBack.pending("the Ingresses " + stableName(app) + " and " + canaryName(app)
          + " are not both stored yet");
    }
    Map<String, String> annotations = canary.get().getMetadata().getAnnotations();
    if (annotations == null || !"true".equals(annotations.get(CANARY))) {
      return ReadBack.pending("the Ingress " + canaryName(app) + " is not marked as canary");
    }
    try {
      int weight = Integer.parseInt(annotations.getOrDefault(CANARY_WEIGHT, "0"));
      int total = Integer.parseInt(annotations.getOrDefault(CANARY_WEIGHT_TOTAL, "100"));
      return ReadBack.confirmed((int) Math.round(100.0 * weight / Math.max(1, total)));
    } catch (NumberFormatException e) {
      return ReadBack.pending("the canary weight annotation of " + canaryName(app)
          + " is not a number");
    }
  }

  private static Ingress ingress(AppSettings app, OwnerReference owner, String name,
      String service, Map<String, String> annotations, Optional<Ingress> stored, boolean tls) {
    IngressBuilder b = new IngressBuilder()
        .withMetadata(RouteObjects.meta(app, owner, name, annotations))
        .withNewSpec()
        .withIngressClassName(app.ingress().className)
        .withRules(rules(app, service, stored))
        .endSpec();
    var spec = app.ingress().tls;
    if (tls && spec != null && app.ingress().host != null) {
      b.editSpec().withTls(new IngressTLSBuilder().withHosts(app.ingress().host)
          .withSecretName(spec.secretName).build()).endSpec();
    }
    return b.build();
  }

  /**
   * Baton's rule (its host, its paths) first; rules for other hosts and other paths of the same
   * host that someone else added are kept, since the API replaces the rules list as a whole.
   */
  private static List<IngressRule> rules(AppSettings app, String service,
      Optional<Ingress> stored) {
    String host = app.ingress().host;
    String hostKey = host == null ? "" : host;
    var previous = RouteObjects.previousRoutes(stored);
    List<HTTPIngressPath> paths = new ArrayList<>();
    for (String path : app.paths()) {
      paths.add(new HTTPIngressPathBuilder().withPath(path).withPathType("Prefix")
          .withNewBackend().withNewService().withName(service)
          .withNewPort().withNumber(app.servicePort()).endPort()
          .endService().endBackend().build());
    }
    List<IngressRule> others = new ArrayList<>();
    if (stored.isPresent() && stored.get().getSpec() != null
        && stored.get().getSpec().getRules() != null) {
      for (IngressRule r : stored.get().getSpec().getRules()) {
        String ruleHost = r.getHost() == null ? "" : r.getHost();
        boolean wasOurs = previous.isPresent() && previous.get().getKey().equals(ruleHost);
        List<HTTPIngressPath> theirs = r.getHttp() == null || r.getHttp().getPaths() == null
            ? List.of() : r.getHttp().getPaths().stream()
                .filter(p -> !app.paths().contains(p.getPath()) || !ruleHost.equals(hostKey))
                .filter(p -> !wasOurs || !previous.get().getValue().contains(p.getPath()))
                .toList();
        if (ruleHost.equals(hostKey)) {
          paths.addAll(theirs);
        } else if (!wasOurs) {
          others.add(r);
        } else if (!theirs.isEmpty()) {
          others.add(new IngressRuleBuilder(r).editHttp().withPaths(theirs).endHttp().build());
        }
      }
    }
    List<IngressRule> rules = new ArrayList<>();
    rules.add(new IngressRuleBuilder().withHost(host).withNewHttp().withPaths(paths).endHttp()
        .build());
    rules.addAll(others);
    return rules;
  }

  private static void putIfSet(Map<String, String> map, String key, String value) {
    if (value != null && !value.isBlank()) {
      map.put(key, value);
    }
  }
}
