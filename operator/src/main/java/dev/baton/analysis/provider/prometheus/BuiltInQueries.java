package dev.baton.analysis.provider.prometheus;

import dev.baton.analysis.AnalysisVariables;
import dev.baton.analysis.Placeholders;
import dev.baton.api.v1alpha1.BuiltInCheck;

/**
 * The PromQL of the built-in checks, from the proxy's own metrics for the canary's requests.
 *
 * <ul>
 *   <li><b>traefik</b>: its service metrics ({@code traefik_service_requests_total{code}} and
 *       {@code traefik_service_request_duration_seconds}), for the preview Service as Traefik
 *       names it in a weighted TraefikService, {@code <namespace>-<preview>-<port>@kubernetescrd}.
 *   <li><b>nginx</b>: ingress-nginx's {@code nginx_ingress_controller_requests{status}} and
 *       {@code nginx_ingress_controller_request_duration_seconds}. ingress-nginx merges a canary
 *       Ingress into the main one, so the canary's requests are counted under the main Ingress
 *       ({@code ingress="<app>"}) with the {@code canary} label naming the canary upstream,
 *       {@code <namespace>-<preview>-<port>} (empty for the stable version's requests).
 * </ul>
 *
 * <p>The success rate's numerator is {@code or vector(0)}: when every request failed there is no
 * non-5xx series at all, and an empty numerator would make the ratio "no data" instead of 0.
 */
public final class BuiltInQueries {

  /**
   * A built-in check as queries: the request count (to compare with minRequests) and the value.
   *
   * @param service the canary as the proxy's metrics name it (for messages)
   */
  public record Check(String service, int windowSeconds, int minRequests, String requestCount,
      String query) {}

  /** One proxy's metric names, and the label selecting the canary's requests. */
  private record Metrics(String requests, String durationBuckets, String statusLabel,
      String selector) {}

  private BuiltInQueries() {}

  /**
   * The queries of {@code check}, whose proxy is set, for the app of {@code variables}.
   *
   * @throws IllegalArgumentException when it names no proxy
   */
  public static Check of(BuiltInCheck check, AnalysisVariables variables) {
    if (check.proxy == null) {
      throw new IllegalArgumentException("builtIn.proxy is not set, and the app's "
          + "spec.ingress.provider has no built-in check");
    }
    String service = check.service != null
        ? Placeholders.substitute(check.service, variables.asMap())
        : canaryService(check.proxy, variables);
    Metrics m = switch (check.proxy) {
      case traefik -> new Metrics("traefik_service_requests_total",
          "traefik_service_request_duration_seconds_bucket", "code",
          "service=\"" + escape(service) + "\"");
      case nginx -> new Metrics("nginx_ingress_controller_requests",
          "nginx_ingress_controller_request_duration_seconds_bucket", "status",
          "namespace=\"" + escape(variables.namespace()) + "\",ingress=\""
              + escape(variables.route()) + "\",canary=\"" + escape(service) + "\"");
    };
    int window = check.windowSeconds == null ? 60 : check.windowSeconds;
    int min = check.minRequests == null ? 20 : check.minRequests;
    String query = switch (check.check) {
      case RequestSuccessRate -> successRate(m, window);
      case RequestLatency -> latency(m, window, check.quantile == null ? 0.99 : check.quantile);
    };
    return new Check(service, window, min, requestCount(m, window), query);
  }

  /** The proxy's name for the canary in its metrics. */
  public static String canaryService(BuiltInCheck.Proxy proxy, AnalysisVariables v) {
    String upstream = v.namespace() + "-" + v.previewService() + "-" + v.servicePort();
    return proxy == BuiltInCheck.Proxy.traefik ? upstream + "@kubernetescrd" : upstream;
  }

  /** The canary's requests in the last {@code window} seconds. */
  private static String requestCount(Metrics m, int window) {
    return "sum(increase(" + m.requests() + "{" + m.selector() + "}[" + window + "s]))";
  }

  /** The share of the canary's requests not answered with a 5xx, 0 to 1. */
  private static String successRate(Metrics m, int window) {
    return "(sum(rate(" + m.requests() + "{" + m.selector() + "," + m.statusLabel()
        + "!~\"5..\"}[" + window + "s])) or vector(0)) / sum(rate(" + m.requests() + "{"
        + m.selector() + "}[" + window + "s]))";
  }

  /** The {@code quantile} of the canary's request durations, in seconds. */
  private static String latency(Metrics m, int window, double quantile) {
    return "histogram_quantile(" + quantile + ", sum by (le) (rate(" + m.durationBuckets() + "{"
        + m.selector() + "}[" + window + "s])))";
  }

  private static String escape(String labelValue) {
    return labelValue.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
