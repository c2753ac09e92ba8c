package dev.baton.analysis.provider.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.analysis.AnalysisVariables;
import dev.baton.api.v1alpha1.BuiltInCheck;
import org.junit.jupiter.api.Test;

/** The built-in checks' PromQL, for the canary's service as Traefik names it. */
class TraefikQueriesTest {

  static final AnalysisVariables SHOP = new AnalysisVariables("shop", "prod", 4, "abc", "def",
      "shop", "shop-preview", 8080, "shop", 20, 1);

  @Test
  void successRateCountsAllFailuresAsZeroNotAsNoData() {
    BuiltInCheck c = new BuiltInCheck();
    c.check = BuiltInCheck.Check.RequestSuccessRate;
    TraefikQueries.Check q = TraefikQueries.of(c, SHOP);
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
  void latencyIsAQuantileOfTheHistogram() {
    BuiltInCheck c = new BuiltInCheck();
    c.check = BuiltInCheck.Check.RequestLatency;
    c.quantile = 0.95;
    c.windowSeconds = 120;
    c.minRequests = 50;
    c.service = "{{baton.namespace}}-custom@file";
    TraefikQueries.Check q = TraefikQueries.of(c, SHOP);
    assertThat(q.query()).isEqualTo("histogram_quantile(0.95, sum by (le) (rate("
        + "traefik_service_request_duration_seconds_bucket{service=\"prod-custom@file\"}"
        + "[120s])))");
    assertThat(q.minRequests()).isEqualTo(50);
  }

  @Test
  void labelValuesAreEscaped() {
    assertThat(TraefikQueries.requestCount("a\"b\\c", 10))
        .isEqualTo("sum(increase(traefik_service_requests_total{service=\"a\\\"b\\\\c\"}[10s]))");
  }
}
