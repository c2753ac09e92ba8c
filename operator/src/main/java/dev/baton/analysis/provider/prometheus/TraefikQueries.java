package dev.baton.analysis.provider.prometheus;

import dev.baton.analysis.AnalysisVariables;
import dev.baton.analysis.Placeholders;
import dev.baton.api.v1alpha1.BuiltInCheck;

/**
 * The PromQL of the built-in checks, from Traefik's service metrics
 * ({@code traefik_service_requests_total} and {@code traefik_service_request_duration_seconds}),
 * for the canary's service: the preview Service as Traefik names it in a weighted TraefikService,
 * {@code <namespace>-<preview Service>-<port>@kubernetescrd}.
 *
 * <p>The success rate's numerator is {@code or vector(0)}: when every request failed there is no
 * non-5xx series at all, and an empty numerator would make the ratio "no data" instead of 0.
 */
public final class TraefikQueries {

  /** A built-in check as queries: the request count (to compare with minRequests) and the value. */
  public record Check(String service, int windowSeconds, int minRequests, String requestCount,
      String query) {}

  private TraefikQueries() {}

  /** The queries of {@code check} for the app of {@code variables}. */
  public static Check of(BuiltInCheck check, AnalysisVariables variables) {
    String service = check.service != null
        ? Placeholders.substitute(check.service, variables.asMap())
        : canaryService(variables);
    int window = check.windowSeconds == null ? 60 : check.windowSeconds;
    int min = check.minRequests == null ? 20 : check.minRequests;
    String query = switch (check.check) {
      case RequestSuccessRate -> successRate(service, window);
      case RequestLatency -> latency(service, window, check.quantile == null ? 0.99
          : check.quantile);
    };
    return new Check(service, window, min, requestCount(service, window), query);
  }

  /** Traefik's name for the canary's service in its metrics. */
  public static String canaryService(AnalysisVariables v) {
    return v.namespace() + "-" + v.previewService() + "-" + v.servicePort() + "@kubernetescrd";
  }

  /** Requests to {@code service} in the last {@code window} seconds. */
  public static String requestCount(String service, int window) {
    return "sum(increase(traefik_service_requests_total{service=\"" + escape(service) + "\"}["
        + window + "s]))";
  }

  /** The share of {@code service}'s requests not answered with a 5xx, 0 to 1. */
  public static String successRate(String service, int window) {
    String s = escape(service);
    return "(sum(rate(traefik_service_requests_total{service=\"" + s + "\",code!~\"5..\"}["
        + window + "s])) or vector(0)) / sum(rate(traefik_service_requests_total{service=\""
        + s + "\"}[" + window + "s]))";
  }

  /** The {@code quantile} of {@code service}'s request durations, in seconds. */
  public static String latency(String service, int window, double quantile) {
    return "histogram_quantile(" + quantile + ", sum by (le) (rate("
        + "traefik_service_request_duration_seconds_bucket{service=\"" + escape(service)
        + "\"}[" + window + "s])))";
  }

  private static String escape(String labelValue) {
    return labelValue.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
