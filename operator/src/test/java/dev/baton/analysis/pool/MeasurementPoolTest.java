package dev.baton.analysis.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.analysis.AnalysisVariables;
import dev.baton.analysis.Measured;
import dev.baton.analysis.Observation;
import dev.baton.analysis.ResolvedMetric;
import dev.baton.analysis.RunKey;
import dev.baton.analysis.provider.MetricProvider;
import dev.baton.analysis.provider.ProviderCredentials;
import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.AnalysisPhase;
import dev.baton.api.v1alpha1.MetricProviderSpec;
import dev.baton.api.v1alpha1.PrometheusMetric;
import dev.baton.api.v1alpha1.ThresholdRange;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The pool with a fake provider: off the caller's thread, one in flight per key, bounded. */
class MeasurementPoolTest {

  /** A provider that answers {@code value}, after the gate opens. */
  static final class Fake implements MetricProvider {
    final CountDownLatch gate = new CountDownLatch(1);
    final List<String> threads = new CopyOnWriteArrayList<>();
    volatile Observation answer = Observation.value(0.01);
    volatile RuntimeException thrown;

    @Override
    public Observation measure(ResolvedMetric metric, ProviderCredentials credentials,
        AnalysisVariables variables) {
      threads.add(Thread.currentThread().getName());
      try {
        gate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thrown != null) {
        throw thrown;
      }
      return answer;
    }
  }

  static ResolvedMetric metric() {
    AnalysisMetric m = new AnalysisMetric();
    m.name = "m";
    m.provider = new MetricProviderSpec();
    m.provider.prometheus = new PrometheusMetric();
    m.provider.prometheus.address = "http://127.0.0.1:1";
    m.provider.prometheus.query = "q";
    m.thresholdRange = ThresholdRange.of(null, 0.05);
    return ResolvedMetric.of("test", m);
  }

  static MeasurementPool.Key key(String app) {
    return new MeasurementPool.Key("ns", app, RunKey.step(1, 1, 0), "m");
  }

  static final Supplier<ProviderCredentials.Result> NO_CREDENTIALS =
      () -> new ProviderCredentials.Result(java.util.Optional.of(ProviderCredentials.NONE), "");
  static final AnalysisVariables VARS = AnalysisVariables.placeholders("a", "ns");

  @Test
  void measuresOnItsOwnThreadsOnceAtATimePerKey() {
    Fake fake = new Fake();
    Map<MeasurementPool.Key, Measured> got = new ConcurrentHashMap<>();
    try (MeasurementPool pool = new MeasurementPool(2, 4, Map.of("prometheus", fake),
        got::put, Clock.systemUTC())) {
      assertThat(pool.submit(key("a"), metric(), NO_CREDENTIALS, VARS))
          .isEqualTo(MeasurementPool.Submitted.STARTED);
      assertThat(pool.submit(key("a"), metric(), NO_CREDENTIALS, VARS))
          .isEqualTo(MeasurementPool.Submitted.IN_FLIGHT);
      fake.gate.countDown();
      await().atMost(Duration.ofSeconds(10)).until(() -> got.containsKey(key("a")));
      assertThat(got.get(key("a")).phase()).isEqualTo(AnalysisPhase.Successful);
      assertThat(fake.threads).allMatch(t -> t.startsWith("baton-measurement-"));
      await().atMost(Duration.ofSeconds(10)).until(() -> !pool.isInFlight(key("a")));
      assertThat(pool.submit(key("a"), metric(), NO_CREDENTIALS, VARS))
          .isEqualTo(MeasurementPool.Submitted.STARTED);
    }
  }

  @Test
  void aFullQueueRefusesInsteadOfGrowing() {
    Fake fake = new Fake();
    try (MeasurementPool pool = new MeasurementPool(1, 1, Map.of("prometheus", fake),
        (k, m) -> { }, Clock.systemUTC())) {
      assertThat(pool.submit(key("a"), metric(), NO_CREDENTIALS, VARS))
          .isEqualTo(MeasurementPool.Submitted.STARTED);
      await().atMost(Duration.ofSeconds(10)).until(() -> fake.threads.size() == 1);
      assertThat(pool.submit(key("b"), metric(), NO_CREDENTIALS, VARS))
          .isEqualTo(MeasurementPool.Submitted.STARTED);
      assertThat(pool.submit(key("c"), metric(), NO_CREDENTIALS, VARS))
          .isEqualTo(MeasurementPool.Submitted.REFUSED);
      assertThat(pool.isInFlight(key("c"))).isFalse();
      fake.gate.countDown();
    }
  }

  @Test
  void aThrowingProviderOrMissingCredentialsIsAnErrorMeasurement() {
    Fake fake = new Fake();
    fake.gate.countDown();
    fake.thrown = new IllegalStateException("boom");
    Map<MeasurementPool.Key, Measured> got = new ConcurrentHashMap<>();
    try (MeasurementPool pool = new MeasurementPool(1, 4, Map.of("prometheus", fake),
        got::put, Clock.systemUTC())) {
      pool.submit(key("a"), metric(), NO_CREDENTIALS, VARS);
      pool.submit(key("b"), metric(), () -> new ProviderCredentials.Result(
          java.util.Optional.empty(), "Secret 'prom' has no key 'password'"), VARS);
      await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 2);
      assertThat(got.get(key("a")).phase()).isEqualTo(AnalysisPhase.Error);
      assertThat(got.get(key("a")).message()).contains("boom");
      assertThat(got.get(key("b")).phase()).isEqualTo(AnalysisPhase.Error);
      assertThat(got.get(key("b")).message()).contains("has no key 'password'");
    }
  }
}
