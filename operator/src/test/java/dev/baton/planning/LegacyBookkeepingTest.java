package dev.baton.planning;

import static dev.baton.planning.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The annotations an older Baton kept on Deployments, read into the typed bookkeeping. */
class LegacyBookkeepingTest {

  @Test
  void aCanaryMidStepUnderTheOldLayoutReadsAsTheSameBookkeeping() {
    Map<String, String> annotations = Map.of(
        Labels.REVISION, "2",
        Labels.STEP, "1",
        Labels.STEP_SINCE, T0.toString(),
        Labels.PROGRESS_SINCE, T0.minusSeconds(5).toString(),
        Labels.PROMOTING, "true",
        Labels.APPLIED, "digest",
        "example.com/other", "kept out");

    assertThat(LegacyBookkeeping.of(annotations)).isEqualTo(Bookkeeping.NONE.withStep(1)
        .withStepSince(T0).withProgressSince(T0.minusSeconds(5)).withPromoting(true));
  }

  @Test
  void theRollingDeploymentsAbortAndWindowAreRead() {
    Map<String, String> annotations = Map.of(
        Labels.STABLE_HASH, "s",
        Labels.TEMPLATE_HASH, "s",
        Labels.ABORTED_HASH, "t",
        Labels.ABORTED, "ProgressDeadlineExceeded",
        Labels.ABORTED_MESSAGE, "not rolled out",
        Labels.ABORTED_AT, T0.toString(),
        Labels.ROLLOUT_PAUSED, "true",
        Labels.PROMOTED_AT, T0.minusSeconds(60).toString(),
        Labels.SCALE_DOWN_AT, T0.plusSeconds(30).toString());

    assertThat(LegacyBookkeeping.of(annotations)).isEqualTo(Bookkeeping.NONE
        .withStableHash("s").withTemplateHash("s").withAbortedHash("t")
        .withAborted("ProgressDeadlineExceeded", "not rolled out", T0).withPaused(true)
        .withPromotedAt(T0.minusSeconds(60)).withScaleDownAt(T0.plusSeconds(30)));
  }

  @Test
  void handEditedValuesCountAsAbsentOrZeroRatherThanFailingTheReconcile() {
    Bookkeeping b = LegacyBookkeeping.of(Map.of(Labels.STEP, "two",
        Labels.PROGRESS_SINCE, "yesterday"));

    assertThat(b.step()).contains(0);
    assertThat(b.progressSince()).isEmpty();
    assertThat(LegacyBookkeeping.of(null)).isEqualTo(Bookkeeping.NONE);
  }
}
