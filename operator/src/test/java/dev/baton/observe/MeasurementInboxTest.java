package dev.baton.observe;

import dev.baton.operator.BatonMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.analysis.Measured;
import dev.baton.analysis.RunKey;
import dev.baton.analysis.pool.MeasurementPool;
import dev.baton.api.v1alpha1.AnalysisPhase;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Landed measurements: per app, drained once status holds them, never lost to a race. */
class MeasurementInboxTest {

  static final RunKey RUN = RunKey.step(2, 1, 1);
  static final MeasurementPool.Key KEY = new MeasurementPool.Key("shop", "api", RUN, "rate");

  static Measured m(int second) {
    return new Measured(AnalysisPhase.Successful, Optional.of(0.0), "",
        Instant.parse("2026-01-01T00:00:00Z").plusSeconds(second));
  }

  @Test
  void aReconcileSeesItsAppsMeasurementsAndDrainsOnlyWhatItTook() {
    MeasurementInbox inbox = new MeasurementInbox();
    inbox.add(KEY, m(1));
    inbox.add(new MeasurementPool.Key("shop", "other", RUN, "rate"), m(1));

    MeasurementInbox.Taken taken = inbox.take("shop", "api");
    assertThat(taken.byRun().get(RUN).get("rate")).containsExactly(m(1));
    assertThat(inbox.unchangedSince(taken, KEY)).isTrue();

    inbox.add(KEY, m(2)); // lands while the reconcile runs
    assertThat(inbox.unchangedSince(taken, KEY)).isFalse();
    inbox.drain(taken, Set.of(RUN));
    assertThat(inbox.take("shop", "api").byRun().get(RUN).get("rate")).containsExactly(m(2));
    assertThat(inbox.take("shop", "other").byRun()).containsKey(RUN);

    inbox.retainOnly(Set.of(new BatonMetrics.AppKey("shop", "api")));
    assertThat(inbox.take("shop", "other").byRun()).isEmpty();
  }

  @Test
  void aStuckRunKeepsOnlyTheNewestMeasurements() {
    MeasurementInbox inbox = new MeasurementInbox();
    for (int i = 0; i < MeasurementInbox.MAX_PER_METRIC + 10; i++) {
      inbox.add(KEY, m(i));
    }
    var kept = inbox.take("shop", "api").byRun().get(RUN).get("rate");
    assertThat(kept).hasSize(MeasurementInbox.MAX_PER_METRIC);
    assertThat(kept.get(0)).isEqualTo(m(10));
  }
}
