package dev.baton.analysis.provider.prometheus;

import static dev.baton.api.v1alpha1.BuiltInCheck.Check.RequestLatency;
import static dev.baton.api.v1alpha1.BuiltInCheck.Check.RequestSuccessRate;
import static dev.baton.api.v1alpha1.BuiltInCheck.Proxy.nginx;
import static dev.baton.api.v1alpha1.BuiltInCheck.Proxy.traefik;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.analysis.AnalysisVariables;
import dev.baton.api.v1alpha1.BuiltInCheck;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The built-in checks' PromQL, for the canary as Traefik names it (its preview Service in the
 * weighted TraefikService) and as ingress-nginx does (the canary upstream, in the {@code canary}
 * label of the main Ingress's requests: the stable version's requests, canary="", never count).
 */
class BuiltInQueriesTest {

  static final AnalysisVariables SHOP = new AnalysisVariables("shop", "prod", 4, "abc", "def",
      "shop", "shop-preview", 8080, "shop", 20, 1);
  static final String TRAEFIK = "service=\"prod-shop-preview-8080@kubernetescrd\"";
  static final String NGINX =
      "namespace=\"prod\",ingress=\"shop\",canary=\"prod-shop-preview-8080\"";

  static BuiltInCheck check(BuiltInCheck.Check what, BuiltInCheck.Proxy proxy) {
    BuiltInCheck c = new BuiltInCheck();
    c.check = what;
    c.proxy = proxy;
    return c;
  }

  /** (proxy, check) -> the canary as the proxy names it, the request count, the value. */
  static Stream<Arguments> defaults() {
    return Stream.of(
        // The numerator is `or vector(0)`: all requests failed is 0, not no data.
        Arguments.of(traefik, RequestSuccessRate, "prod-shop-preview-8080@kubernetescrd",
            "sum(increase(traefik_service_requests_total{" + TRAEFIK + "}[60s]))",
            "(sum(rate(traefik_service_requests_total{" + TRAEFIK + ",code!~\"5..\"}[60s])) or "
                + "vector(0)) / sum(rate(traefik_service_requests_total{" + TRAEFIK + "}[60s]))"),
        Arguments.of(traefik, RequestLatency, "prod-shop-preview-8080@kubernetescrd",
            "sum(increase(traefik_service_requests_total{" + TRAEFIK + "}[60s]))",
            "histogram_quantile(0.99, sum by (le) (rate("
                + "traefik_service_request_duration_seconds_bucket{" + TRAEFIK + "}[60s])))"),
        Arguments.of(nginx, RequestSuccessRate, "prod-shop-preview-8080",
            "sum(increase(nginx_ingress_controller_requests{" + NGINX + "}[60s]))",
            "(sum(rate(nginx_ingress_controller_requests{" + NGINX + ",status!~\"5..\"}[60s])) "
                + "or vector(0)) / sum(rate(nginx_ingress_controller_requests{" + NGINX
                + "}[60s]))"),
        Arguments.of(nginx, RequestLatency, "prod-shop-preview-8080",
            "sum(increase(nginx_ingress_controller_requests{" + NGINX + "}[60s]))",
            "histogram_quantile(0.99, sum by (le) (rate("
                + "nginx_ingress_controller_request_duration_seconds_bucket{" + NGINX
                + "}[60s])))"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource
  void defaults(BuiltInCheck.Proxy proxy, BuiltInCheck.Check what, String service,
      String requestCount, String query) {
    BuiltInQueries.Check q = BuiltInQueries.of(check(what, proxy), SHOP);

    assertThat(q.service()).isEqualTo(service);
    assertThat(q.requestCount()).isEqualTo(requestCount);
    assertThat(q.query()).isEqualTo(query);
    assertThat(q.windowSeconds()).isEqualTo(60);
    assertThat(q.minRequests()).isEqualTo(20);
  }

  @Test
  void windowQuantileMinimumAndServiceAreTheChecksOwnWhenGiven() {
    BuiltInCheck t = check(RequestLatency, traefik);
    t.quantile = 0.95;
    t.windowSeconds = 120;
    t.minRequests = 50;
    t.service = "{{baton.namespace}}-custom@file";
    BuiltInQueries.Check q = BuiltInQueries.of(t, SHOP);
    assertThat(q.query()).isEqualTo("histogram_quantile(0.95, sum by (le) (rate("
        + "traefik_service_request_duration_seconds_bucket{service=\"prod-custom@file\"}"
        + "[120s])))");
    assertThat(q.minRequests()).isEqualTo(50);

    // For ingress-nginx, service names the canary upstream (e.g. a named Ingress port).
    BuiltInCheck n = check(RequestSuccessRate, nginx);
    n.service = "{{baton.namespace}}-{{baton.previewService}}-http";
    assertThat(BuiltInQueries.of(n, SHOP).requestCount()).isEqualTo(
        "sum(increase(nginx_ingress_controller_requests{namespace=\"prod\",ingress=\"shop\","
            + "canary=\"prod-shop-preview-http\"}[60s]))");
  }

  @Test
  void labelValuesAreEscaped() {
    BuiltInCheck c = check(RequestSuccessRate, traefik);
    c.service = "a\"b\\c";
    assertThat(BuiltInQueries.of(c, SHOP).requestCount())
        .isEqualTo("sum(increase(traefik_service_requests_total{service=\"a\\\"b\\\\c\"}[60s]))");
  }

  @Test
  void aCheckWithoutAProxyHasNoQuery() {
    assertThatThrownBy(() -> BuiltInQueries.of(check(RequestSuccessRate, null), SHOP))
        .hasMessageContaining("builtIn.proxy is not set");
  }
}
