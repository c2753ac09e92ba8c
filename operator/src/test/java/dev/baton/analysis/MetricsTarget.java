package dev.baton.analysis;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A scrape target the test controls: {@code /metrics} on 127.0.0.1 serving, in Prometheus' text
 * exposition format, counters whose values the test sets ({@code http_requests_total{code="..."}}
 * by {@link #set}, any series by {@link #series}) or that grow at a fixed rate from when they are added (any series, by
 * {@link #grow}: a proxy's own metrics, as it would serve them).
 */
final class MetricsTarget implements AutoCloseable {

  private final HttpServer server;
  private final Map<String, LongSupplier> series = new ConcurrentHashMap<>();

  MetricsTarget() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/metrics", exchange -> {
      StringBuilder b = new StringBuilder();
      new TreeMap<>(series).forEach((s, n) ->
          b.append(s).append(' ').append(n.getAsLong()).append('\n'));
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
    series.put("http_requests_total{code=\"" + code + "\"}", () -> n);
  }

  /** Serves {@code nameAndLabels} (e.g. {@code x{a="b"}}) at {@code value}. */
  void series(String nameAndLabels, long value) {
    series.put(nameAndLabels, () -> value);
  }

  /** Serves {@code nameAndLabels} (e.g. {@code x_total{a="b"}}) growing by {@code perSecond}. */
  void grow(String nameAndLabels, long perSecond) {
    long start = System.nanoTime();
    series.put(nameAndLabels, () -> (System.nanoTime() - start) / 1_000_000_000L * perSecond);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
