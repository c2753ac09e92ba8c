package dev.baton.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * The operator's small HTTP surface: {@code /healthz} (the process is alive and its informers are
 * healthy), {@code /readyz} (the operator has started and synced its caches) and {@code /metrics}
 * (Prometheus text format).
 *
 * <p>It uses the JDK's built-in server: three endpoints do not justify a web framework.
 */
public final class HealthServer implements AutoCloseable {

  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts serving on the given address.
   *
   * @param address where to listen; port 0 picks a free port
   * @param runtimes the runtime views of the operators that reconcile, read on every probe
   *     (null until connected; one operator, or one per shard held, none for a replica that
   *     holds no shard yet)
   * @param registry the registry scraped by {@code /metrics}
   */
  public static HealthServer start(InetSocketAddress address,
      Supplier<Collection<RuntimeInfo>> runtimes, PrometheusMeterRegistry registry)
      throws IOException {
    HttpServer server = HttpServer.create(address, 16);
    server.createContext("/healthz", exchange -> {
      Collection<RuntimeInfo> infos = runtimes.get();
      // Alive unless an informer has failed for good: a restart is then the only cure.
      List<RuntimeInfo> failed = infos == null ? List.of() : infos.stream()
          .filter(i -> i.isStarted() && !i.allEventSourcesAreHealthy()).toList();
      respond(exchange, failed.isEmpty() ? 200 : 500,
          failed.isEmpty() ? "ok\n" : unhealthy(failed.get(0)));
    });
    server.createContext("/readyz", exchange -> {
      Collection<RuntimeInfo> infos = runtimes.get();
      boolean ready = infos != null && infos.stream()
          .allMatch(i -> i.isStarted() && i.allEventSourcesAreHealthy());
      respond(exchange, ready ? 200 : 503, ready ? "ok\n" : "not ready\n");
    });
    server.createContext("/metrics", exchange -> respond(exchange, 200, registry.scrape()));
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "baton-http");
      t.setDaemon(true);
      return t;
    }));
    server.start();
    return new HealthServer(server);
  }

  /** The port actually bound, useful when started on port 0. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static String unhealthy(RuntimeInfo info) {
    return "unhealthy event sources: " + info.unhealthyEventSources().keySet() + "\n";
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
