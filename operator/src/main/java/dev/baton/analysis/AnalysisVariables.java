package dev.baton.analysis;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables Baton gives every analysis, so that most templates need no arguments:
 * {@code {{baton.app}}}, {@code {{baton.namespace}}}, {@code {{baton.revision}}},
 * {@code {{baton.canaryHash}}}, {@code {{baton.stableHash}}}, {@code {{baton.service}}} (the live
 * Service), {@code {{baton.previewService}}}, {@code {{baton.servicePort}}}, {@code {{baton.route}}}
 * (the Ingress, HTTPRoute or IngressRoute name), {@code {{baton.weight}}} and {@code {{baton.step}}}.
 */
public record AnalysisVariables(String app, String namespace, int revision, String canaryHash,
    String stableHash, String service, String previewService, int servicePort, String route,
    int weight, int step) {

  /** Stand-ins with the right names, for validation before a rollout has values. */
  public static AnalysisVariables placeholders(String app, String namespace) {
    return new AnalysisVariables(app, namespace, 1, "canary", "stable", app, app + "-preview", 80,
        app, 0, 0);
  }

  /** The variables as placeholder values, keyed {@code baton.NAME}. */
  public Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("baton.app", app);
    m.put("baton.namespace", namespace);
    m.put("baton.revision", String.valueOf(revision));
    m.put("baton.canaryHash", canaryHash);
    m.put("baton.stableHash", stableHash);
    m.put("baton.service", service);
    m.put("baton.previewService", previewService);
    m.put("baton.servicePort", String.valueOf(servicePort));
    m.put("baton.route", route);
    m.put("baton.weight", String.valueOf(weight));
    m.put("baton.step", String.valueOf(step));
    return m;
  }
}
