package dev.baton.planning;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What Baton remembers of one version between reconciles: when it served, its rollback window,
 * where its rollout stands (step, timers, promotion, abort) and, for the rolling strategy's one
 * Deployment, which revisions it runs. Stored in {@code status.rollout} and
 * {@code status.retiring} ({@link RolloutRecord}), never on the Deployment; the planners read it
 * from {@link VersionState#bookkeeping()} and decide it in {@link DesiredVersion#bookkeeping()}.
 * Immutable: each {@code with} returns a copy.
 *
 * @param promotedAt when the version began to serve (a version that never served has none)
 * @param scaleDownAt when a replaced version's rollback window ends
 * @param step the index of the step a stepped rollout is at
 * @param stepSince when the current step's weight and pods were in place (its hold began)
 * @param attempt the attempt at the target revision (1, +1 per retry); keys its analysis runs
 * @param progressSince when the current target size was set: the progress deadline counts from it
 * @param readySince when every preview pod was first available: the promotion delay counts from it
 * @param promoting promotion was decided (automatically or by hand): scale up and switch
 * @param paused the rolling Deployment is paused by Baton, so its deadline restarts on resume
 * @param aborted why the rollout was aborted, kept until a retry or a new revision
 * @param templateHash the rolling Deployment: the revision in its pod template now
 * @param stableHash the rolling Deployment: the last revision it rolled out completely
 * @param abortedHash the rolling Deployment: the revision whose rollout was aborted
 * @param rolloutTarget the rolling Deployment: the revision the record names as the target, so a
 *     rollout held before its template is written (its expand migration runs) is not reported as
 *     started again
 */
public record Bookkeeping(
    Optional<Instant> promotedAt,
    Optional<Instant> scaleDownAt,
    Optional<Integer> step,
    Optional<Instant> stepSince,
    Optional<Integer> attempt,
    Optional<Instant> progressSince,
    Optional<Instant> readySince,
    boolean promoting,
    boolean paused,
    Optional<Abort> aborted,
    Optional<String> templateHash,
    Optional<String> stableHash,
    Optional<String> abortedHash,
    Optional<String> rolloutTarget) {

  /** Nothing remembered: a version never seen before. */
  public static final Bookkeeping NONE = new Bookkeeping(Optional.empty(), Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
      false, false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
      Optional.empty());

  /**
   * Why and when a rollout was aborted.
   *
   * @param reason a CamelCase reason, e.g. {@code ProgressDeadlineExceeded}
   * @param message for people
   * @param at when, if known
   */
  public record Abort(String reason, String message, Optional<Instant> at) {}

  /** True when the version has served (it has a promotion time). */
  public boolean served() {
    return promotedAt.isPresent();
  }

  public Bookkeeping withPromotedAt(Optional<Instant> t) {
    return with(c -> c.promotedAt = t);
  }

  public Bookkeeping withPromotedAt(Instant t) {
    return withPromotedAt(Optional.of(t));
  }

  public Bookkeeping withScaleDownAt(Instant t) {
    return with(c -> c.scaleDownAt = Optional.of(t));
  }

  public Bookkeeping withStep(Optional<Integer> index) {
    return with(c -> c.step = index);
  }

  public Bookkeeping withStep(int index) {
    return withStep(Optional.of(index));
  }

  public Bookkeeping withStepSince(Optional<Instant> t) {
    return with(c -> c.stepSince = t);
  }

  public Bookkeeping withStepSince(Instant t) {
    return withStepSince(Optional.of(t));
  }

  public Bookkeeping withAttempt(Optional<Integer> n) {
    return with(c -> c.attempt = n);
  }

  public Bookkeeping withAttempt(int n) {
    return withAttempt(Optional.of(n));
  }

  public Bookkeeping withProgressSince(Optional<Instant> t) {
    return with(c -> c.progressSince = t);
  }

  public Bookkeeping withProgressSince(Instant t) {
    return withProgressSince(Optional.of(t));
  }

  public Bookkeeping withReadySince(Optional<Instant> t) {
    return with(c -> c.readySince = t);
  }

  public Bookkeeping withReadySince(Instant t) {
    return withReadySince(Optional.of(t));
  }

  public Bookkeeping withPromoting(boolean p) {
    return with(c -> c.promoting = p);
  }

  public Bookkeeping withPaused(boolean p) {
    return with(c -> c.paused = p);
  }

  public Bookkeeping withAborted(Optional<Abort> a) {
    return with(c -> c.aborted = a);
  }

  public Bookkeeping withAborted(String reason, String message, Instant at) {
    return withAborted(Optional.of(new Abort(reason, message, Optional.of(at))));
  }

  public Bookkeeping withTemplateHash(Optional<String> hash) {
    return with(c -> c.templateHash = hash);
  }

  public Bookkeeping withTemplateHash(String hash) {
    return withTemplateHash(Optional.of(hash));
  }

  public Bookkeeping withStableHash(Optional<String> hash) {
    return with(c -> c.stableHash = hash);
  }

  public Bookkeeping withStableHash(String hash) {
    return withStableHash(Optional.of(hash));
  }

  public Bookkeeping withAbortedHash(Optional<String> hash) {
    return with(c -> c.abortedHash = hash);
  }

  public Bookkeeping withAbortedHash(String hash) {
    return withAbortedHash(Optional.of(hash));
  }

  public Bookkeeping withRolloutTarget(Optional<String> hash) {
    return with(c -> c.rolloutTarget = hash);
  }

  /**
   * This bookkeeping with what {@code over} records laid over it: each value {@code over} has
   * replaces this one's, the rest stays (a flag set in either stays set).
   */
  public Bookkeeping overlaidWith(Bookkeeping over) {
    return new Bookkeeping(over.promotedAt.or(() -> promotedAt),
        over.scaleDownAt.or(() -> scaleDownAt), over.step.or(() -> step),
        over.stepSince.or(() -> stepSince), over.attempt.or(() -> attempt),
        over.progressSince.or(() -> progressSince), over.readySince.or(() -> readySince),
        over.promoting || promoting, over.paused || paused, over.aborted.or(() -> aborted),
        over.templateHash.or(() -> templateHash), over.stableHash.or(() -> stableHash),
        over.abortedHash.or(() -> abortedHash), over.rolloutTarget.or(() -> rolloutTarget));
  }

  private Bookkeeping with(Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return new Bookkeeping(c.promotedAt, c.scaleDownAt, c.step, c.stepSince, c.attempt,
        c.progressSince, c.readySince, c.promoting, c.paused, c.aborted, c.templateHash,
        c.stableHash, c.abortedHash, c.rolloutTarget);
  }

  /** A bookkeeping being changed by one {@code with}. */
  private static final class Copy {
    Optional<Instant> promotedAt;
    Optional<Instant> scaleDownAt;
    Optional<Integer> step;
    Optional<Instant> stepSince;
    Optional<Integer> attempt;
    Optional<Instant> progressSince;
    Optional<Instant> readySince;
    boolean promoting;
    boolean paused;
    Optional<Abort> aborted;
    Optional<String> templateHash;
    Optional<String> stableHash;
    Optional<String> abortedHash;
    Optional<String> rolloutTarget;

    Copy(Bookkeeping b) {
      promotedAt = b.promotedAt;
      scaleDownAt = b.scaleDownAt;
      step = b.step;
      stepSince = b.stepSince;
      attempt = b.attempt;
      progressSince = b.progressSince;
      readySince = b.readySince;
      promoting = b.promoting;
      paused = b.paused;
      aborted = b.aborted;
      templateHash = b.templateHash;
      stableHash = b.stableHash;
      abortedHash = b.abortedHash;
      rolloutTarget = b.rolloutTarget;
    }
  }
}
