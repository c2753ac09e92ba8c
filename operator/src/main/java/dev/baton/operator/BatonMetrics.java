package dev.baton.operator;

import dev.baton.api.v1alpha1.Phase;
import dev.baton.planning.Plan;
import dev.baton.planning.PlannedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Baton's own metrics. Labels are bounded: per app and namespace at most (never per pod or
 * revision), and abort reasons come from a fixed set.
 *
 * <ul>
 *   <li>{@code baton_rollouts_started_total}, {@code baton_rollouts_promoted_total},
 *       {@code baton_rollouts_aborted_total{reason}}, {@code baton_rollbacks_total}
 *       (namespace, app);
 *   <li>{@code baton_promotion_duration_seconds}: from the last new pod becoming Ready to the
 *       traffic switch (a histogram, no app label);
 *   <li>{@code baton_app_phase{phase}}: 1 for the app's current phase, 0 for the others;
 *   <li>{@code baton_app_traffic_weight}: percent of traffic on the version being rolled out;
 *   <li>{@code baton_notifications_total{result}}: webhook deliveries;
 *   <li>{@code baton_informer_updates_total{kind,result}}: informer update events that
 *       reconciled the app or were skipped because they changed nothing a reconcile reads;
 *   <li>{@code baton_migrations_total{phase,result}}: migration Jobs seen finishing (phase expand,
 *       contract or onAbort; result succeeded or failed);
 *   <li>{@code baton_analysis_measurements_total{metric,result}}: measurements taken by the
 *       pool, by the metric's name and their result (Successful, Failed, Inconclusive, Error);
 *   <li>{@code baton_analysis_last_value{namespace,app,metric}}: the last number a metric's
 *       measurement returned, and {@code baton_analysis_threshold{namespace,app,metric,bound}}
 *       the bounds of its thresholdRange ({@code bound} min or max), to plot beside it.
 * </ul>
 */
public final class BatonMetrics {

  private final MeterRegistry registry;
  private final Timer promotionDuration;
  private final Map<AppKey, AppGauges> apps = new ConcurrentHashMap<>();

  public BatonMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.promotionDuration = Timer.builder("baton.promotion.duration")
        .description("Time from the last new pod becoming Ready to traffic switched to it")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(30))
        .register(registry);
    // Present from the start, so dashboards and alerts see zeros rather than no data.
    for (String result : java.util.List.of("delivered", "retried", "failed")) {
      Counter.builder("baton.notifications").tag("result", result)
          .description("Webhook notification attempts by outcome").register(registry);
    }
    for (var phase : dev.baton.api.v1alpha1.MigrationStatus.Kind.values()) {
      for (String result : java.util.List.of("succeeded", "failed")) {
        Counter.builder("baton.migrations").tag("phase", phase.name()).tag("result", result)
            .description("Migration Jobs by phase and outcome").register(registry);
      }
    }
  }

  /** Counts one measurement of {@code metric} by its result. */
  void measurement(String metric, dev.baton.api.v1alpha1.AnalysisPhase result) {
    Counter.builder("baton.analysis.measurements").tag("metric", metric)
        .tag("result", result.name())
        .description("Analysis measurements by metric and result").register(registry)
        .increment();
  }

  /**
   * The last value of an app's metric and, for a thresholdRange, its bounds (gauges that go with
   * the app's other gauges when it is deleted).
   */
  void analysisValue(String namespace, String app, String metric, double value,
      dev.baton.api.v1alpha1.ThresholdRange range) {
    AppKey key = new AppKey(namespace, app);
    apps.computeIfAbsent(key, k -> new AppGauges(registry, k))
        .analysis(registry, key, metric, value, range);
  }

  /** Identifies an app in labels. */
  public record AppKey(String namespace, String app) {
    Tags tags() {
      return Tags.of("namespace", namespace, "app", app);
    }
  }

  /** Records what a reconcile planned and the phase it reported. */
  void record(String namespace, String app, Plan plan, Duration sinceLastPodReady) {
    AppKey key = new AppKey(namespace, app);
    // An undo of a warm version is one rollback, though it plans two events.
    if (plan.events().stream().anyMatch(e -> e.reason().equals("RollbackStarted")
        || e.reason().equals("RolledBack"))) {
      counter("baton.rollbacks", key, Tags.empty());
    }
    for (PlannedEvent e : plan.events()) {
      switch (e.reason()) {
        case "RolloutStarted" -> counter("baton.rollouts.started", key, Tags.empty());
        case "Promoted" -> {
          counter("baton.rollouts.promoted", key, Tags.empty());
          if (sinceLastPodReady != null) {
            promotionDuration.record(sinceLastPodReady);
          }
        }
        case "RolloutAborted" -> counter("baton.rollouts.aborted", key,
            Tags.of("reason", abortReason(plan.outcome().abortReason())));
        default -> { }
      }
    }
    AppGauges gauges = apps.computeIfAbsent(key, k -> new AppGauges(registry, k));
    gauges.phase = plan.outcome().phase();
    gauges.weight = plan.traffic().reportedWeight();
  }

  /** Counts migration Jobs seen finishing. */
  void migrations(java.util.List<dev.baton.api.v1alpha1.MigrationStatus> finished) {
    for (var m : finished) {
      Counter.builder("baton.migrations")
          .tag("phase", m.phase.name())
          .tag("result", m.state == dev.baton.api.v1alpha1.MigrationStatus.State.Succeeded
              ? "succeeded" : "failed")
          .description("Migration Jobs by phase and outcome").register(registry).increment();
    }
  }

  /**
   * Counts an informer's update event by kind and whether it changed anything a reconcile reads
   * ({@code baton_informer_updates_total{kind,result=reconciled|skipped}}).
   */
  public void informerUpdate(String kind, boolean reconciled) {
    Counter.builder("baton.informer.updates").tag("kind", kind)
        .tag("result", reconciled ? "reconciled" : "skipped")
        .description("Informer update events, by whether they triggered a reconcile")
        .register(registry).increment();
  }

  /** Counts a webhook delivery outcome: delivered, retried or failed. */
  public void notification(String result) {
    Counter.builder("baton.notifications").tag("result", result)
        .description("Webhook notification attempts by outcome").register(registry).increment();
  }

  /** Drops the gauges of apps that no longer exist. */
  void retainOnly(Set<AppKey> existing) {
    apps.entrySet().removeIf(e -> {
      if (existing.contains(e.getKey())) {
        return false;
      }
      e.getValue().remove(registry);
      return true;
    });
  }

  private void counter(String name, AppKey key, Tags extra) {
    Counter.builder(name).tags(key.tags().and(extra)).register(registry).increment();
  }

  private static String abortReason(String reason) {
    return switch (reason == null ? "" : reason) {
      case "ProgressDeadlineExceeded", "AbortedByUser", "MigrationFailed", "AnalysisFailed",
          "AnalysisInconclusive" -> reason;
      default -> "Other";
    };
  }

  /** Per-app gauges, read at scrape time. */
  private static final class AppGauges {
    volatile Phase phase;
    volatile double weight;
    private final java.util.List<Gauge> gauges = new java.util.ArrayList<>();

    AppGauges(MeterRegistry registry, AppKey key) {
      for (Phase p : Phase.values()) {
        gauges.add(Gauge.builder("baton.app.phase", this, g -> g.phase == p ? 1 : 0)
            .description("1 for the app's current phase")
            .tags(key.tags().and("phase", p.name()))
            .register(registry));
      }
      gauges.add(Gauge.builder("baton.app.traffic.weight", this, g -> g.weight)
          .description("Percent of traffic on the version being rolled out")
          .tags(key.tags())
          .register(registry));
    }

    private final Map<String, double[]> analysis = new ConcurrentHashMap<>();

    /** Sets metric's last value [0] and bounds [1], [2] (NaN when none), registering once. */
    void analysis(MeterRegistry registry, AppKey key, String metric, double value,
        dev.baton.api.v1alpha1.ThresholdRange range) {
      double[] v = analysis.computeIfAbsent(metric, m -> {
        double[] fresh = {Double.NaN, Double.NaN, Double.NaN};
        Tags tags = key.tags().and("metric", m);
        synchronized (gauges) {
          gauges.add(Gauge.builder("baton.analysis.last.value", fresh, a -> a[0])
              .description("The last value an analysis metric's measurement returned")
              .tags(tags).register(registry));
          gauges.add(Gauge.builder("baton.analysis.threshold", fresh, a -> a[1])
              .description("A bound of the metric's thresholdRange")
              .tags(tags.and("bound", "min")).register(registry));
          gauges.add(Gauge.builder("baton.analysis.threshold", fresh, a -> a[2])
              .description("A bound of the metric's thresholdRange")
              .tags(tags.and("bound", "max")).register(registry));
        }
        return fresh;
      });
      v[0] = value;
      v[1] = range == null || range.min == null ? Double.NaN : range.min;
      v[2] = range == null || range.max == null ? Double.NaN : range.max;
    }

    void remove(MeterRegistry registry) {
      synchronized (gauges) {
        gauges.forEach(registry::remove);
      }
    }
  }
}
