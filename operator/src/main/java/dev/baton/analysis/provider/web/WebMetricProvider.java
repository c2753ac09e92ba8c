package dev.baton.analysis.provider.web;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.analysis.AnalysisVariables;
import dev.baton.analysis.Observation;
import dev.baton.analysis.ResolvedMetric;
import dev.baton.analysis.provider.MetricProvider;
import dev.baton.analysis.provider.ProviderCredentials;
import dev.baton.analysis.provider.ProviderHttp;
import dev.baton.api.v1alpha1.HttpHeader;
import dev.baton.api.v1alpha1.WebMetric;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * A web check: GET or POST a URL and read a number from the JSON answer at a JSON Pointer
 * (RFC 6901, Jackson's own {@link JsonPointer}). A JSON number, or a string that holds one, is
 * the value; null or a missing field is no data; anything else is an error.
 */
public final class WebMetricProvider implements MetricProvider {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Observation measure(ResolvedMetric metric, ProviderCredentials credentials,
      AnalysisVariables variables) {
    WebMetric w = metric.spec().provider.web;
    if (w == null) {
      return Observation.error("not a web metric");
    }
    HttpRequest.Builder request;
    try {
      request = HttpRequest.newBuilder(URI.create(w.url));
    } catch (IllegalArgumentException e) {
      return Observation.error("web.url is not a URL: " + e.getMessage());
    }
    if (w.method == WebMetric.Method.POST) {
      request.POST(HttpRequest.BodyPublishers.ofString(w.body == null ? "" : w.body))
          .header("Content-Type", "application/json");
    } else {
      request.GET();
    }
    request.header("Accept", "application/json");
    if (w.headers != null) {
      for (HttpHeader h : w.headers) {
        String value = h.valueFrom != null ? credentials.headers().get(h.name) : h.value;
        if (value == null) {
          return Observation.error("header " + h.name + ": its Secret value was not read");
        }
        request.header(h.name, value);
      }
    }
    Duration timeout = Duration.ofSeconds(w.timeoutSeconds == null ? 10 : w.timeoutSeconds);
    ProviderHttp.Response r = ProviderHttp.send(request, credentials, w.tls, timeout);
    if (r.error() != null) {
      return r.error();
    }
    return read(r.body(), w.jsonPointer == null ? "" : w.jsonPointer);
  }

  /** The number at {@code pointer} in {@code body} (package-visible for the unit tests). */
  static Observation read(String body, String pointer) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (java.io.IOException e) {
      return Observation.error("the answer is not JSON: " + ProviderHttp.abbreviate(body));
    }
    if (root == null) {
      return Observation.noData("the answer is empty");
    }
    JsonNode node = root.at(JsonPointer.compile(pointer));
    if (node.isMissingNode() || node.isNull()) {
      return Observation.noData("no value at " + (pointer.isEmpty() ? "the root" : pointer));
    }
    if (node.isNumber()) {
      return Observation.value(node.doubleValue());
    }
    if (node.isTextual()) {
      try {
        return Observation.value(Double.parseDouble(node.asText().strip()));
      } catch (NumberFormatException e) {
        return Observation.error("'" + ProviderHttp.abbreviate(node.asText()) + "' at " + pointer
            + " is not a number");
      }
    }
    return Observation.error("the value at " + pointer + " is a " + node.getNodeType()
        + ", not a number");
  }
}
