package dev.baton.traffic.gatewayapi;

import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.planning.AppSettings;
import dev.baton.planning.ForeignMessage;
import dev.baton.traffic.RouteObjects;
import dev.baton.traffic.TrafficProvider;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatchBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Gateway API: an HTTPRoute {@code <app>} whose rule named {@value #RULE} has two weighted
 * backendRefs, the live and the preview Service. Baton owns only that rule: the API stores the
 * rules list as one value, so Baton carries every other rule, and the filters others put on its
 * rule, into each write, guarded by the stored resourceVersion.
 *
 * <p>When a gateway controller reports the route's status, a weight counts as applied only once
 * every parent reports Accepted and ResolvedRefs for the route's current generation.
 */
public final class GatewayApiProvider implements TrafficProvider {

  /** The name of the rule Baton manages. */
  public static final String RULE = "baton";

  @Override
  public IngressSpec.Provider provider() {
    return IngressSpec.Provider.gatewayAPI;
  }

  @Override
  public List<HasMetadata> desired(AppSettings app, OwnerReference owner, int weight,
      List<HasMetadata> stored) {
    Optional<HTTPRoute> current = RouteObjects.find(stored, HTTPRoute.class, app.name());
    Optional<HTTPRouteRule> ours = current.flatMap(GatewayApiProvider::ourRule);
    List<HTTPRouteMatch> matches = app.paths().stream()
        .map(p -> new HTTPRouteMatchBuilder().withNewPath().withType("PathPrefix").withValue(p)
            .endPath().build())
        .toList();
    List<HTTPRouteFilter> filters = ours.map(HTTPRouteRule::getFilters).orElse(null);
    HTTPRouteRule rule = new HTTPRouteRuleBuilder()
        .withName(RULE)
        .withMatches(matches)
        .withFilters(filters == null || filters.isEmpty() ? null : filters)
        .withBackendRefs(
            backend(RouteObjects.stableService(app), app.servicePort(), 100 - weight),
            backend(RouteObjects.previewService(app), app.servicePort(), weight))
        .build();
    List<HTTPRouteRule> rules = new ArrayList<>();
    rules.add(rule);
    current.map(r -> r.getSpec().getRules()).orElse(List.of()).stream()
        .filter(r -> !RULE.equals(r.getName()))
        .forEach(rules::add);
    List<ParentReference> parents = app.ingress().gatewayAPI == null ? List.of()
        : app.ingress().gatewayAPI.parentRefs.stream()
            .map(p -> new ParentReferenceBuilder().withName(p.name).withNamespace(p.namespace)
                .withSectionName(p.sectionName).withPort(p.port).build())
            .toList();
    HTTPRoute route = new HTTPRouteBuilder()
        .withMetadata(RouteObjects.meta(app, owner, app.name(), Map.of()))
        .withNewSpec()
        .withParentRefs(parents)
        .withHostnames(app.ingress().host == null ? null : List.of(app.ingress().host))
        .withRules(rules)
        .endSpec()
        .build();
    return List.of(RouteObjects.guarded(route, current));
  }

  @Override
  public ReadBack readBack(AppSettings app, List<HasMetadata> stored) {
    Optional<HTTPRoute> route = RouteObjects.find(stored, HTTPRoute.class, app.name());
    if (route.isEmpty()) {
      return ReadBack.pending("the HTTPRoute " + app.name() + " is not stored yet");
    }
    Optional<HTTPRouteRule> rule = ourRule(route.get());
    if (rule.isEmpty() || rule.get().getBackendRefs() == null) {
      return ReadBack.pending("the HTTPRoute " + app.name() + " has no rule " + RULE);
    }
    int stable = weightOf(rule.get(), RouteObjects.stableService(app));
    int preview = weightOf(rule.get(), RouteObjects.previewService(app));
    if (stable + preview == 0) {
      return ReadBack.pending("the rule " + RULE + " sends no traffic to either Service");
    }
    Optional<String> unconfirmed = unconfirmed(route.get());
    if (unconfirmed.isPresent()) {
      return ReadBack.pending(unconfirmed.get());
    }
    return ReadBack.confirmed((int) Math.round(100.0 * preview / (stable + preview)));
  }

  /**
   * Why the route status does not confirm the current generation, if a controller reports status
   * at all and it does not.
   */
  static Optional<String> unconfirmed(HTTPRoute route) {
    if (route.getStatus() == null || route.getStatus().getParents() == null
        || route.getStatus().getParents().isEmpty()) {
      return Optional.empty(); // no gateway controller reports: the stored object is the truth
    }
    long generation = Objects.requireNonNullElse(route.getMetadata().getGeneration(), 0L);
    for (RouteParentStatus parent : route.getStatus().getParents()) {
      for (String type : List.of("Accepted", "ResolvedRefs")) {
        Optional<Condition> c = parent.getConditions() == null ? Optional.empty()
            : parent.getConditions().stream().filter(x -> type.equals(x.getType())).findFirst();
        boolean current = c.isPresent() && "True".equals(c.get().getStatus())
            && Objects.requireNonNullElse(c.get().getObservedGeneration(), 0L) >= generation;
        if (!current) {
          return Optional.of("the HTTPRoute's status from " + parent.getControllerName()
              + " does not yet say " + type + " for generation " + generation
              + c.map(GatewayApiProvider::saying).orElse(""));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * What a route condition says, to follow a clause of ours: "; reason: message". A clause, not
   * a sentence: the planner puts the whole text in parentheses within its own sentence.
   */
  private static String saying(Condition c) {
    String message = ForeignMessage.asClause(c.getMessage());
    String reason = c.getReason() == null || c.getReason().isBlank() ? "" : c.getReason().strip();
    String said = reason.isEmpty() ? message : message.isEmpty() ? reason : reason + ": " + message;
    return said.isEmpty() ? "" : "; " + said;
  }

  private static Optional<HTTPRouteRule> ourRule(HTTPRoute route) {
    if (route.getSpec() == null || route.getSpec().getRules() == null) {
      return Optional.empty();
    }
    return route.getSpec().getRules().stream().filter(r -> RULE.equals(r.getName())).findFirst();
  }

  private static int weightOf(HTTPRouteRule rule, String service) {
    return rule.getBackendRefs().stream()
        .filter(b -> service.equals(b.getName()))
        .mapToInt(b -> b.getWeight() == null ? 1 : b.getWeight())
        .sum();
  }

  private static HTTPBackendRef backend(String service, int port, int weight) {
    return new HTTPBackendRefBuilder().withName(service).withPort(port).withWeight(weight)
        .build();
  }
}
