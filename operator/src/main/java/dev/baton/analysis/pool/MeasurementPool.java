package dev.baton.analysis.pool;

import dev.baton.analysis.AnalysisVariables;
import dev.baton.analysis.MeasurementJudge;
import dev.baton.analysis.Measured;
import dev.baton.analysis.Observation;
import dev.baton.analysis.ResolvedMetric;
import dev.baton.analysis.RunKey;
import dev.baton.analysis.provider.MetricProvider;
import dev.baton.analysis.provider.ProviderCredentials;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs due measurements on a bounded pool of its own, never on a reconcile thread, and hands each
 * judged result to a callback (which records it and wakes the app's reconcile). At most one
 * measurement per app, run and metric is in flight: asking again while one runs is a no-op, so a
 * reconcile may ask on every pass. When the queue is full a request is refused, not queued
 * without bound; the next reconcile asks again.
 */
public final class MeasurementPool implements AutoCloseable {

  /** Identifies one metric of one run of one app. */
  public record Key(String namespace, String app, RunKey run, String metric) {}

  /** Receives each measurement, on a pool thread. */
  @FunctionalInterface
  public interface Callback {
    void measured(Key key, Measured measurement);
  }

  /** Whether a request was started, was already in flight, or was refused (queue full). */
  public enum Submitted { STARTED, IN_FLIGHT, REFUSED }

  private final ThreadPoolExecutor executor;
  private final Map<String, MetricProvider> providers;
  private final Callback callback;
  private final Clock clock;
  private final Set<Key> inFlight = ConcurrentHashMap.newKeySet();

  /**
   * @param threads measurements run at once
   * @param queue measurements waiting at most
   * @param providers by provider name: prometheus, web
   */
  public MeasurementPool(int threads, int queue, Map<String, MetricProvider> providers,
      Callback callback, Clock clock) {
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(queue), r -> {
          Thread t = new Thread(r, "baton-measurement-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    this.executor.allowCoreThreadTimeOut(true);
    this.providers = Map.copyOf(providers);
    this.callback = callback;
    this.clock = clock;
  }

  /**
   * Measures {@code metric} for {@code key} unless a measurement of it is in flight.
   *
   * @param credentials read when the measurement starts (on the pool thread), so Secrets are
   *     read when used; it gives the credentials or why they could not be read
   */
  public Submitted submit(Key key, ResolvedMetric metric,
      Supplier<ProviderCredentials.Result> credentials, AnalysisVariables variables) {
    if (!inFlight.add(key)) {
      return Submitted.IN_FLIGHT;
    }
    try {
      executor.execute(() -> run(key, metric, credentials, variables));
      return Submitted.STARTED;
    } catch (RejectedExecutionException e) {
      inFlight.remove(key);
      return Submitted.REFUSED;
    }
  }

  /** Whether a measurement for {@code key} is running or queued. */
  public boolean isInFlight(Key key) {
    return inFlight.contains(key);
  }

  private void run(Key key, ResolvedMetric metric,
      Supplier<ProviderCredentials.Result> credentials, AnalysisVariables variables) {
    Measured m;
    try {
      m = MeasurementJudge.judge(observe(metric, credentials, variables), metric.condition(),
          clock.instant());
    } catch (RuntimeException e) {
      // A provider must not throw; if one does, it is a measurement error, never a lost result.
      m = MeasurementJudge.judge(Observation.error("provider failed: " + e), metric.condition(),
          clock.instant());
    }
    try {
      callback.measured(key, m);
    } finally {
      inFlight.remove(key);
    }
  }

  private Observation observe(ResolvedMetric metric,
      Supplier<ProviderCredentials.Result> credentials, AnalysisVariables variables) {
    String name = providerName(metric);
    MetricProvider provider = providers.get(name);
    if (provider == null) {
      return Observation.error("no " + name + " provider in this pool");
    }
    ProviderCredentials.Result c = credentials.get();
    if (c.credentials().isEmpty()) {
      return Observation.error(c.problem());
    }
    return provider.measure(metric, c.credentials().get(), variables);
  }

  /** prometheus, web or job. */
  public static String providerName(ResolvedMetric metric) {
    var p = metric.spec().provider;
    return p.prometheus != null ? "prometheus" : p.web != null ? "web" : "job";
  }

  /** Stops taking measurements; waits briefly for those running. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
