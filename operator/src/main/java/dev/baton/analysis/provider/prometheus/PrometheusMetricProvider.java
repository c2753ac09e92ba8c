package dev.baton.analysis.provider.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.analysis.AnalysisVariables;
import dev.baton.analysis.Observation;
import dev.baton.analysis.ResolvedMetric;
import dev.baton.analysis.provider.MetricProvider;
import dev.baton.analysis.provider.ProviderCredentials;
import dev.baton.analysis.provider.ProviderHttp;
import dev.baton.api.v1alpha1.PrometheusMetric;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Prometheus: an instant query ({@code GET /api/v1/query}) whose answer must be one number, a
 * scalar or a vector of one series. No series is no data (inconclusive), several are an error
 * (the query should aggregate them). A built-in check runs its request count first: below
 * {@code minRequests} there is too little traffic to judge, which is no data too.
 */
public final class PrometheusMetricProvider implements MetricProvider {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Observation measure(ResolvedMetric metric, ProviderCredentials credentials,
      AnalysisVariables variables) {
    PrometheusMetric p = metric.spec().provider.prometheus;
    if (p == null) {
      return Observation.error("not a prometheus metric");
    }
    if (p.builtIn == null) {
      return query(p, p.query, credentials);
    }
    BuiltInQueries.Check check;
    try {
      check = BuiltInQueries.of(p.builtIn, variables);
    } catch (IllegalArgumentException e) {
      return Observation.error(e.getMessage()); // validation names it first; this is a backstop
    }
    Observation requests = query(p, check.requestCount(), credentials);
    if (!(requests instanceof Observation.Value count)) {
      return requests instanceof Observation.NoData
          ? Observation.noData("no requests to the canary (" + check.service() + ") in "
              + check.windowSeconds() + "s")
          : requests;
    }
    if (!(count.value() >= check.minRequests())) {
      return Observation.noData(Math.round(count.value()) + " requests to the canary in "
          + check.windowSeconds() + "s, fewer than minRequests " + check.minRequests());
    }
    return query(p, check.query(), credentials);
  }

  /** Runs one instant query. */
  public Observation query(PrometheusMetric p, String query, ProviderCredentials credentials) {
    String base = p.address.endsWith("/") ? p.address.substring(0, p.address.length() - 1)
        : p.address;
    URI uri;
    try {
      uri = URI.create(base + "/api/v1/query?query="
          + URLEncoder.encode(query, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Observation.error("prometheus.address is not a URL: " + e.getMessage());
    }
    Duration timeout = Duration.ofSeconds(p.timeoutSeconds == null ? 10 : p.timeoutSeconds);
    ProviderHttp.Response r = ProviderHttp.send(HttpRequest.newBuilder(uri).GET()
        .header("Accept", "application/json"), credentials, p.tls, timeout);
    if (r.error() != null) {
      return prometheusError(r);
    }
    return parse(r.body());
  }

  /** The number in an instant query's answer (package-visible for the unit tests). */
  static Observation parse(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (java.io.IOException e) {
      return Observation.error("Prometheus' answer is not JSON: "
          + ProviderHttp.abbreviate(body));
    }
    if (!"success".equals(root.path("status").asText())) {
      return Observation.error("Prometheus: " + root.path("errorType").asText("error") + ": "
          + root.path("error").asText("no status"));
    }
    JsonNode data = root.path("data");
    String type = data.path("resultType").asText();
    JsonNode result = data.path("result");
    JsonNode sample;
    switch (type) {
      case "scalar" -> sample = result;
      case "vector" -> {
        if (result.size() == 0) {
          return Observation.noData("the query returned no series");
        }
        if (result.size() > 1) {
          return Observation.error("the query returned " + result.size() + " series; aggregate "
              + "them to one (sum, max, ...)");
        }
        sample = result.get(0).path("value");
      }
      default -> {
        return Observation.error("the query returned a " + type + ", not a scalar or vector");
      }
    }
    if (!sample.isArray() || sample.size() != 2) {
      return Observation.error("Prometheus' sample is malformed: " + sample);
    }
    String value = sample.get(1).asText();
    try {
      // Prometheus writes NaN, +Inf and -Inf as such; Double.parseDouble reads them too.
      return Observation.value(Double.parseDouble(value.replace("Inf", "Infinity")));
    } catch (NumberFormatException e) {
      return Observation.error("Prometheus' value '" + value + "' is not a number");
    }
  }

  private static Observation prometheusError(ProviderHttp.Response r) {
    if (r.status() == 400 || r.status() == 422) {
      // A bad query: Prometheus says why in its JSON body.
      Observation parsed = parse(r.body());
      if (parsed instanceof Observation.Error) {
        return parsed;
      }
    }
    return r.error();
  }
}
