package dev.baton.analysis.provider.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.baton.analysis.AnalysisVariables;
import dev.baton.analysis.Observation;
import dev.baton.analysis.ResolvedMetric;
import dev.baton.analysis.provider.ProviderCredentials;
import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.HttpHeader;
import dev.baton.api.v1alpha1.MetricProviderSpec;
import dev.baton.api.v1alpha1.SecretKeyRef;
import dev.baton.api.v1alpha1.ThresholdRange;
import dev.baton.api.v1alpha1.WebMetric;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The web provider: the JSON Pointer table, and real requests to a loopback server. */
class WebMetricProviderTest {

  static Stream<Arguments> answers() {
    return Stream.of(
        Arguments.of("{\"data\":{\"ratio\":0.02}}", "/data/ratio", new Observation.Value(0.02)),
        Arguments.of("{\"data\":{\"ratio\":\"0.5\"}}", "/data/ratio", new Observation.Value(0.5)),
        Arguments.of("42", "", new Observation.Value(42)),
        Arguments.of("{\"data\":{\"ratio\":null}}", "/data/ratio",
            new Observation.NoData("no value at /data/ratio")),
        Arguments.of("{\"data\":{}}", "/data/ratio",
            new Observation.NoData("no value at /data/ratio")),
        Arguments.of("{\"items\":[1,2,3]}", "/items/1", new Observation.Value(2)),
        Arguments.of("{\"data\":{\"ratio\":\"high\"}}", "/data/ratio",
            new Observation.Error("'high' at /data/ratio is not a number")),
        Arguments.of("{\"data\":{\"ratio\":true}}", "/data/ratio",
            new Observation.Error("the value at /data/ratio is a BOOLEAN, not a number")),
        Arguments.of("not json", "/x", new Observation.Error("the answer is not JSON: not json")));
  }

  @ParameterizedTest
  @MethodSource("answers")
  void readsTheNumberAtThePointer(String body, String pointer, Observation expected) {
    assertThat(WebMetricProvider.read(body, pointer)).isEqualTo(expected);
  }

  HttpServer server;
  final AtomicReference<String> seenAuth = new AtomicReference<>();
  final AtomicReference<String> seenBody = new AtomicReference<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/check", exchange -> {
      seenAuth.set(exchange.getRequestHeaders().getFirst("X-Api-Key"));
      seenBody.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      boolean ok = "k3y".equals(seenAuth.get());
      byte[] out = (ok ? "{\"errorRate\":0.01}" : "{\"error\":\"who are you\"}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(ok ? 200 : 401, out.length);
      exchange.getResponseBody().write(out);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  ResolvedMetric metric(WebMetric.Method method) {
    AnalysisMetric m = new AnalysisMetric();
    m.name = "web";
    m.provider = new MetricProviderSpec();
    m.provider.web = new WebMetric();
    m.provider.web.url = "http://127.0.0.1:" + server.getAddress().getPort() + "/check";
    m.provider.web.method = method;
    m.provider.web.jsonPointer = "/errorRate";
    if (method == WebMetric.Method.POST) {
      m.provider.web.body = "{\"app\":\"shop\"}";
    }
    HttpHeader key = new HttpHeader();
    key.name = "X-Api-Key";
    key.valueFrom = SecretKeyRef.of("web-secret", "key");
    m.provider.web.headers = List.of(key);
    m.thresholdRange = ThresholdRange.of(null, 0.05);
    return ResolvedMetric.of("test", m);
  }

  static ProviderCredentials headers(String value) {
    return new ProviderCredentials(java.util.Optional.empty(), java.util.Optional.empty(),
        java.util.Optional.empty(), java.util.Optional.empty(), Map.of("X-Api-Key", value));
  }

  @Test
  void getsAndPostsWithASecretHeaderAndAWrongKeyIsAnError() {
    AnalysisVariables v = AnalysisVariables.placeholders("shop", "prod");
    WebMetricProvider web = new WebMetricProvider();
    assertThat(web.measure(metric(WebMetric.Method.GET), headers("k3y"), v))
        .isEqualTo(new Observation.Value(0.01));
    assertThat(web.measure(metric(WebMetric.Method.POST), headers("k3y"), v))
        .isEqualTo(new Observation.Value(0.01));
    assertThat(seenBody.get()).isEqualTo("{\"app\":\"shop\"}");
    Observation denied = web.measure(metric(WebMetric.Method.GET), headers("wrong"), v);
    assertThat(denied).isInstanceOf(Observation.Error.class);
    assertThat(((Observation.Error) denied).message()).contains("HTTP 401")
        .doesNotContain("wrong");
  }

  @Test
  void anUnreachableServerIsAnError() {
    ResolvedMetric m = metric(WebMetric.Method.GET);
    server.stop(0);
    Observation o = new WebMetricProvider().measure(m, headers("k3y"),
        AnalysisVariables.placeholders("shop", "prod"));
    assertThat(o).isInstanceOf(Observation.Error.class);
  }
}
