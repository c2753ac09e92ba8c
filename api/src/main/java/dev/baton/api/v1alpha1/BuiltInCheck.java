package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/**
 * A check of the new version's requests as the proxy Baton drives counts them, with no query to
 * write. Below {@code minRequests} requests in the window the measurement is inconclusive: too
 * little traffic proves nothing.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BuiltInCheck {

  /** What is measured. */
  public enum Check {
    /** Share of the canary's requests answered without a 5xx, from 0 to 1. */
    RequestSuccessRate,
    /** A latency quantile of the canary's requests, in seconds. */
    RequestLatency
  }

  /** Whose metrics are read. */
  public enum Proxy {
    /** Traefik's service metrics (traefik_service_requests_total, ..._duration_seconds). */
    traefik,
    /**
     * ingress-nginx's (nginx_ingress_controller_requests, ..._request_duration_seconds), the
     * canary's requests picked by their {@code canary} label.
     */
    nginx
  }

  @Required
  @JsonPropertyDescription("RequestSuccessRate (0 to 1) or RequestLatency (seconds).")
  public Check check;

  @JsonPropertyDescription("The proxy whose metrics are read: traefik or nginx (ingress-nginx). "
      + "Unset: the app's spec.ingress.provider, which must then be traefik or nginx; so one "
      + "template serves apps behind either.")
  public Proxy proxy;

  @Default("60")
  @Min(10)
  @Max(3600)
  @JsonPropertyDescription("Seconds of requests each measurement looks back over.")
  public Integer windowSeconds;

  @Default("0.99")
  @Min(0)
  @Max(1)
  @JsonPropertyDescription("RequestLatency: the quantile, e.g. 0.99 for p99.")
  public Double quantile;

  @Default("20")
  @Min(0)
  @JsonPropertyDescription("Fewer canary requests than this in the window make the measurement "
      + "inconclusive.")
  public Integer minRequests;

  @JsonPropertyDescription("The proxy's name for the canary in its metrics, when Baton's default "
      + "(derived from the app's namespace, canary Service and port) does not match it: "
      + "Traefik's `service` label (<namespace>-<Service>-<port>@kubernetescrd), ingress-nginx's "
      + "`canary` label (the canary upstream, <namespace>-<Service>-<port>). May use {{baton.*}} "
      + "variables.")
  public String service;
}
