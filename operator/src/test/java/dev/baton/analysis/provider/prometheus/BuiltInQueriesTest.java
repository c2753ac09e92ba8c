package dev.baton.analysis.provider.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.analysis.AnalysisVariables;
import dev.baton.api.v1alpha1.BuiltInCheck;
import org.junit.jupiter.api.Test;

/** The built-in checks' PromQL, for the canary as Traefik and as ingress-nginx name it. */
class BuiltInQueriesTest {

  static final AnalysisVariables SHOP = new AnalysisVariables("shop", "prod", 4, "abc", "def",
      "shop", "shop-preview", 8080, "shop", 20, 1);

  static BuiltInCheck check(BuiltInCheck.Check what, BuiltInCheck.Proxy proxy) {
    BuiltInCheck c = new BuiltInCheck();
    c.check = what;
    c.proxy = proxy;
    return c;
  }

  @Test
  void traefiksSuccessRateCountsAllFailuresAsZeroNotAsNoData() {
    BuiltInQueries.Check q = BuiltInQueries.of(check(BuiltInCheck.Check.RequestSuccessRate,
        BuiltInCheck.Proxy.traefik), SHOP);
    assertThat(q.service()).isEqualTo("prod-shop-preview-8080@kubernetescrd");
    assertThat(q.query()).isEqualTo("(sum(rate(traefik_service_requests_total{service=\""
        + "prod-shop-preview-8080@kubernetescrd\",code!~\"5..\"}[60s])) or vector(0)) / "
        + "sum(rate(traefik_service_requests_total{service=\"prod-shop-preview-8080@kubernetescrd"
        + "\"}[60s]))");
    assertThat(q.requestCount()).isEqualTo("sum(increase(traefik_service_requests_total{"
        + "service=\"prod-shop-preview-8080@kubernetescrd\"}[60s]))");
    assertThat(q.minRequests()).isEqualTo(20);
  }

  @Test
  void traefiksLatencyIsAQuantileOfTheHistogram() {
    BuiltInCheck c = check(BuiltInCheck.Check.RequestLatency, BuiltInCheck.Proxy.traefik);
    c.quantile = 0.95;
    c.windowSeconds = 120;
    c.minRequests = 50;
    c.service = "{{baton.namespace}}-custom@file";
    BuiltInQueries.Check q = BuiltInQueries.of(c, SHOP);
    assertThat(q.query()).isEqualTo("histogram_quantile(0.95, sum by (le) (rate("
        + "traefik_service_request_duration_seconds_bucket{service=\"prod-custom@file\"}"
        + "[120s])))");
    assertThat(q.minRequests()).isEqualTo(50);
  }

  /**
   * ingress-nginx counts a canary Ingress's requests under the main Ingress, with the canary
   * upstream in the {@code canary} label: the stable version's requests (canary="") never count.
   */
  @Test
  void nginxsSuccessRateReadsTheCanaryUpstreamsRequestsOfTheMainIngress() {
    BuiltInQueries.Check q = BuiltInQueries.of(check(BuiltInCheck.Check.RequestSuccessRate,
        BuiltInCheck.Proxy.nginx), SHOP);
    String canary = "namespace=\"prod\",ingress=\"shop\",canary=\"prod-shop-preview-8080\"";
    assertThat(q.service()).isEqualTo("prod-shop-preview-8080");
    assertThat(q.query()).isEqualTo("(sum(rate(nginx_ingress_controller_requests{" + canary
        + ",status!~\"5..\"}[60s])) or vector(0)) / sum(rate("
        + "nginx_ingress_controller_requests{" + canary + "}[60s]))");
    assertThat(q.requestCount()).isEqualTo("sum(increase(nginx_ingress_controller_requests{"
        + canary + "}[60s]))");
    assertThat(q.minRequests()).isEqualTo(20);
  }

  @Test
  void nginxsLatencyIsAQuantileOfItsHistogramAndServiceNamesTheCanaryUpstream() {
    BuiltInCheck c = check(BuiltInCheck.Check.RequestLatency, BuiltInCheck.Proxy.nginx);
    c.windowSeconds = 30;
    c.service = "{{baton.namespace}}-{{baton.previewService}}-http";
    BuiltInQueries.Check q = BuiltInQueries.of(c, SHOP);
    assertThat(q.query()).isEqualTo("histogram_quantile(0.99, sum by (le) (rate("
        + "nginx_ingress_controller_request_duration_seconds_bucket{namespace=\"prod\","
        + "ingress=\"shop\",canary=\"prod-shop-preview-http\"}[30s])))");
  }

  @Test
  void labelValuesAreEscaped() {
    BuiltInCheck c = check(BuiltInCheck.Check.RequestSuccessRate, BuiltInCheck.Proxy.traefik);
    c.service = "a\"b\\c";
    assertThat(BuiltInQueries.of(c, SHOP).requestCount())
        .isEqualTo("sum(increase(traefik_service_requests_total{service=\"a\\\"b\\\\c\"}[60s]))");
  }

  @Test
  void aCheckWithoutAProxyHasNoQuery() {
    assertThatThrownBy(() -> BuiltInQueries.of(check(BuiltInCheck.Check.RequestSuccessRate,
        null), SHOP)).hasMessageContaining("builtIn.proxy is not set");
  }
}
