package dev.baton.testcluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends a steady rate of GET requests to one app through the proxy (by host and path) and records
 * every answer in a {@link TrafficLedger}: status, the revision that answered, latency, and
 * connection errors. Requests do not wait for each other, so a slow answer does not slow the rate.
 *
 * <p>The JDK's HTTP client only sends a chosen {@code Host} header when the JVM runs with
 * {@code -Djdk.httpclient.allowRestrictedHeaders=host} (Failsafe's argLine sets it).
 */
public final class LoadGenerator implements AutoCloseable {

  /** Each request gives up after this long; the time-out counts as a failed request. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private final HttpClient http;
  private final HttpRequest request;
  private final TrafficLedger ledger;
  private final ScheduledExecutorService ticks;
  private final java.util.concurrent.atomic.AtomicInteger inFlight =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean recording;

  private LoadGenerator(URI proxy, String host, String path, int perSecond) {
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(REQUEST_TIMEOUT).build();
    HttpRequest.Builder builder = HttpRequest.newBuilder(proxy.resolve(path))
        .timeout(REQUEST_TIMEOUT).GET();
    if (host != null) {
      builder.header("Host", host);
    }
    this.request = builder.build();
    this.ledger = new TrafficLedger((host == null ? proxy.getAuthority() : host) + path);
    this.ticks = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "load-" + (host == null ? proxy.getAuthority() : host));
      t.setDaemon(true);
      return t;
    });
    ticks.scheduleAtFixedRate(this::send, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
  }

  /**
   * Starts sending {@code perSecond} requests a second to {@code http://proxy/path} with the
   * given {@code Host} header (none when null). Nothing is recorded until {@link #record()}.
   */
  public static LoadGenerator start(URI proxy, String host, String path, int perSecond) {
    return new LoadGenerator(proxy, host, path, perSecond);
  }

  /** Records from now on: call once the app is known to be served. */
  public void record() {
    recording = true;
  }

  public TrafficLedger ledger() {
    return ledger;
  }

  /** Sends one request now and waits for its answer; recorded only when recording. */
  public TrafficLedger.Outcome probe() {
    Instant sent = Instant.now();
    long start = System.nanoTime();
    try {
      return outcome(sent, start, http.send(request, HttpResponse.BodyHandlers.discarding()),
          null);
    } catch (IOException e) {
      return outcome(sent, start, null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return outcome(sent, start, null, e);
    }
  }

  private void send() {
    if (!recording) {
      return;
    }
    Instant sent = Instant.now();
    long start = System.nanoTime();
    inFlight.incrementAndGet();
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .whenComplete((response, error) -> {
          ledger.record(outcome(sent, start, response, error));
          inFlight.decrementAndGet();
        });
  }

  private static TrafficLedger.Outcome outcome(Instant sent, long start, HttpResponse<?> response,
      Throwable error) {
    Duration latency = Duration.ofNanos(System.nanoTime() - start);
    if (response == null) {
      Throwable cause = error instanceof java.util.concurrent.CompletionException
          && error.getCause() != null ? error.getCause() : error;
      return new TrafficLedger.Outcome(sent, latency, 0, null, null, null, null,
          cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
    var h = response.headers();
    return new TrafficLedger.Outcome(sent, latency, response.statusCode(),
        h.firstValue(PodServer.REVISION_HEADER).orElse(null),
        h.firstValue(PodServer.TEMPLATE_HEADER).orElse(null),
        h.firstValue(PodServer.IMAGE_HEADER).orElse(null),
        h.firstValue(PodServer.POD_HEADER).orElse(null), null);
  }

  @Override
  public void close() {
    ticks.shutdownNow();
    // Let the requests in flight land in the ledger before anyone reads it.
    long deadline = System.nanoTime() + REQUEST_TIMEOUT.toNanos() + 1_000_000_000L;
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }
}
