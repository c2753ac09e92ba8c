package dev.baton.planning;

import java.util.Map;
import java.util.Optional;

/**
 * Reads the bookkeeping a Baton older than {@code status.rollout} kept in annotations on each
 * Deployment, so that an app in flight when Baton is upgraded resumes its rollout: the one place
 * those annotations are parsed (the keys are {@link Labels}' legacy ones). The reconcile that
 * reads them records {@code status.rollout} before it applies the Deployments without them.
 */
// TODO(one release after v1alpha1 status.rollout): delete with the legacy keys in Labels.
public final class LegacyBookkeeping {

  private LegacyBookkeeping() {}

  /** The bookkeeping in a Deployment's annotations as an older Baton wrote them. */
  public static Bookkeeping of(Map<String, String> annotations) {
    Map<String, String> a = annotations == null ? Map.of() : annotations;
    Bookkeeping b = Bookkeeping.NONE
        .withPromotedAt(instant(a, Labels.PROMOTED_AT))
        .withStep(number(a, Labels.STEP))
        .withStepSince(instant(a, Labels.STEP_SINCE))
        .withAttempt(number(a, Labels.ATTEMPT))
        .withProgressSince(instant(a, Labels.PROGRESS_SINCE))
        .withReadySince(instant(a, Labels.READY_SINCE))
        .withPromoting(a.containsKey(Labels.PROMOTING))
        .withPaused(a.containsKey(Labels.ROLLOUT_PAUSED))
        .withTemplateHash(Optional.ofNullable(a.get(Labels.TEMPLATE_HASH)))
        .withStableHash(Optional.ofNullable(a.get(Labels.STABLE_HASH)))
        .withAbortedHash(Optional.ofNullable(a.get(Labels.ABORTED_HASH)));
    if (a.containsKey(Labels.ABORTED)) {
      b = b.withAborted(Optional.of(new Bookkeeping.Abort(a.get(Labels.ABORTED),
          a.get(Labels.ABORTED_MESSAGE), instant(a, Labels.ABORTED_AT))));
    }
    Optional<java.time.Instant> scaleDownAt = instant(a, Labels.SCALE_DOWN_AT);
    return scaleDownAt.isPresent() ? b.withScaleDownAt(scaleDownAt.get()) : b;
  }

  private static Optional<java.time.Instant> instant(Map<String, String> a, String key) {
    return RolloutRecord.instant(a.get(key));
  }

  /** A count as the annotations held it; a hand-edited value counts as 0, as before. */
  private static Optional<Integer> number(Map<String, String> a, String key) {
    String value = a.get(key);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Math.max(0, Integer.parseInt(value)));
    } catch (NumberFormatException e) {
      return Optional.of(0);
    }
  }
}
