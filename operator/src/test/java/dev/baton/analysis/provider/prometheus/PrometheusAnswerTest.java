package dev.baton.analysis.provider.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.analysis.Observation;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What an instant query's JSON answer becomes. */
class PrometheusAnswerTest {

  static String vector(String... values) {
    StringBuilder b = new StringBuilder();
    for (String v : values) {
      b.append(b.length() > 0 ? "," : "").append("{\"metric\":{},\"value\":[1700000000.1,\"")
          .append(v).append("\"]}");
    }
    return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + b + "]}}";
  }

  static Stream<Arguments> answers() {
    return Stream.of(
        Arguments.of(vector("0.25"), new Observation.Value(0.25)),
        Arguments.of(vector("NaN"), new Observation.Value(Double.NaN)),
        Arguments.of(vector("+Inf"), new Observation.Value(Double.POSITIVE_INFINITY)),
        Arguments.of(vector("-Inf"), new Observation.Value(Double.NEGATIVE_INFINITY)),
        Arguments.of(vector(), new Observation.NoData("the query returned no series")),
        Arguments.of(vector("1", "2"), new Observation.Error("the query returned 2 series; "
            + "aggregate them to one (sum, max, ...)")),
        Arguments.of("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\","
            + "\"result\":[1700000000,\"7\"]}}", new Observation.Value(7)),
        Arguments.of("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}",
            new Observation.Error("Prometheus: bad_data: parse error")),
        Arguments.of("<html>proxy error</html>",
            new Observation.Error("Prometheus' answer is not JSON: <html>proxy error</html>")),
        Arguments.of("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}",
            new Observation.Error("the query returned a matrix, not a scalar or vector")));
  }

  @ParameterizedTest
  @MethodSource("answers")
  void answerBecomesAnObservation(String body, Observation expected) {
    assertThat(PrometheusMetricProvider.parse(body)).isEqualTo(expected);
  }
}
