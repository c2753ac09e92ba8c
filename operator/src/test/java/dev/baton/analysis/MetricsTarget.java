package dev.baton.analysis;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A scrape target the test controls: {@code /metrics} on 127.0.0.1 serving counters
 * {@code http_requests_total{code="..."}} whose values the test sets.
 */
final class MetricsTarget implements AutoCloseable {

  private final HttpServer server;
  private final Map<String, Long> requests = new ConcurrentHashMap<>();

  MetricsTarget() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/metrics", exchange -> {
      StringBuilder b = new StringBuilder("# TYPE http_requests_total counter\n");
      new TreeMap<>(requests).forEach((code, n) ->
          b.append("http_requests_total{code=\"").append(code).append("\"} ").append(n)
              .append('\n'));
      byte[] out = b.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
      exchange.sendResponseHeaders(200, out.length);
      exchange.getResponseBody().write(out);
      exchange.close();
    });
    server.start();
  }

  /** host:port, as a Prometheus target. */
  String target() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Sets the counter of responses with {@code code}. */
  void set(String code, long n) {
    requests.put(code, n);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
