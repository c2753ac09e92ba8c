package dev.baton.planning;

import dev.baton.api.v1alpha1.Phase;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Instant;
import java.util.Optional;

/**
 * The rolling strategy while its one Deployment serves (or the app is new): rolls the
 * Deployment's template towards the target, completes, aborts, pauses, and holds for the
 * rolling analysis ({@link RollingAnalysis}). The model is {@link RollingPlanner}'s.
 */
final class RollingUpdate {

  private static final String KEY = Labels.ROLLING;
  private static final String AVAILABLE = BlueGreenPlanner.AVAILABLE;
  private static final String PROGRESSING = BlueGreenPlanner.PROGRESSING;
  private static final String PAUSED = BlueGreenPlanner.PAUSED;
  private static final String DEGRADED = BlueGreenPlanner.DEGRADED;

  private final Snapshot s;
  private final PlanBuilder plan;
  private final AppSettings app;
  private final Commands cmd;
  private final Instant now;
  private final String target;
  private final VersionState rolling;
  /** The rolling Deployment's bookkeeping as observed (none before it exists). */
  private final Bookkeeping seen;
  private final String current;
  private final String stable;
  private final RollingAnalysis analysis;

  /** @param rolling the rolling Deployment as observed, null before it exists */
  RollingUpdate(PlanBuilder plan, VersionState rolling, RollingAnalysis analysis) {
    this.plan = plan;
    this.s = plan.snapshot();
    this.app = plan.app();
    this.cmd = s.commands();
    this.now = plan.now();
    this.target = plan.target();
    this.rolling = rolling;
    this.seen = rolling == null ? Bookkeeping.NONE : rolling.bookkeeping();
    this.current = seen.templateHash().orElse(null);
    this.stable = seen.stableHash().orElse(null);
    this.analysis = analysis;
  }

  /** One pass: roll the template towards the target. */
  RollingPlanner.Step run() {
    Bookkeeping ann = Bookkeeping.NONE.withPromotedAt(seen.promotedAt().orElse(now));
    int rev = plan.rev(target);

    boolean targetAborted = rolling != null && stable != null
        && seen.abortedHash().filter(target::equals).isPresent();
    if (targetAborted && !cmd.retry()) {
      putRolling(ann.withAbortedHash(seen.abortedHash()).withAborted(seen.aborted())
          .withProgressSince(seen.progressSince()), stable, stable);
      return abortedState(seen.aborted().map(Bookkeeping.Abort::reason).orElse(null),
          seen.aborted().map(Bookkeeping.Abort::message).orElse(null));
    }
    boolean retried = targetAborted;

    if (rolling == null || !target.equals(current) || retried) {
      return newTemplate(ann, retried);
    }

    // The template is the target's: watch the Deployment controller roll it.
    boolean complete = rolling.rolledOut() && rolling.specReplicas() == app.replicas()
        && rolling.updatedReplicas() >= app.replicas() && available() >= app.replicas();
    boolean rollout = stable != null && !stable.equals(target);
    RollingAnalysis.Verdict verdict = null;
    if (rollout && analysis.configured()) {
      int attempt = analysis.attempt(rev, seen.attempt(), false);
      ann = ann.withAttempt(attempt);
      verdict = analysis.run(target, stable, rev, attempt);
      boolean undecided = verdict.standing() != RollingAnalysis.Standing.PASSED;
      if (undecided && cmd.abort()) {
        return abort(ann.withProgressSince(seen.progressSince()), RolloutAbort.BY_USER,
            "Rollout of revision " + rev + " aborted by request (" + counts() + ").");
      }
      if (verdict.standing() == RollingAnalysis.Standing.FAILED) {
        return abort(ann.withProgressSince(seen.progressSince()), "AnalysisFailed",
            verdict.message());
      }
      if (verdict.standing() == RollingAnalysis.Standing.HELD) {
        return heldByAnalysis(ann.withProgressSince(seen.progressSince()), verdict, complete);
      }
    }
    boolean resumed = seen.paused() && !plan.paused();
    Instant since = resumed ? now : seen.progressSince().orElse(now);
    ann = ann.withProgressSince(since);
    if (complete && verdict != null && verdict.standing() == RollingAnalysis.Standing.RUNNING) {
      putRolling(ann, target, stable);
      String msg = "Revision " + rev + " is rolled out (" + counts() + "); it becomes the "
          + "stable revision once its analysis passes (a timer never passes it).";
      availableCondition(msg);
      plan.condition(PROGRESSING, true, "AnalysisRunning", msg);
      plan.condition(DEGRADED, false, "Progressing", msg);
      pausedCondition();
      return new RollingPlanner.Step(Phase.Progressing, msg, KEY, stable, Optional.of(target));
    }

    if (complete) {
      putRolling(ann, target, target);
      // A first deploy is no promotion (status history says Deployed, as for blue/green).
      if (stable != null && !target.equals(stable)) {
        plan.promoted(target);
        plan.event(PlannedEvent.normal("Promoted", "Revision " + rev + " is rolled out: "
            + counts() + "."));
      }
      String msg = "Revision " + rev + " serves with " + available() + "/" + app.replicas()
          + " pods available.";
      plan.condition(AVAILABLE, true, "AllReplicasAvailable", msg);
      plan.condition(PROGRESSING, true, "RolloutComplete", msg);
      plan.condition(DEGRADED, false, "Healthy", msg);
      pausedCondition();
      // The completion is a status write only: the Deployment is not touched, so Healthy at once.
      return new RollingPlanner.Step(Phase.Healthy, msg, KEY, target, Optional.empty());
    }
    if (rollout) {
      return rollingIn(ann, since);
    }

    // No template change in flight: first deploy, a scale change, a restart or lost pods.
    putRolling(ann, target, stable);
    boolean lost = stable != null && rolling.rolledOut()
        && rolling.specReplicas() == app.replicas();
    String msg = (lost ? "The live revision " + rev + " has only " : "Revision " + rev
        + " has ") + available() + "/" + app.replicas() + " pods available ("
        + rolling.updatedReplicas() + " updated)." + problems();
    if (lost) {
      plan.condition(AVAILABLE, false, "ReplicasUnavailable", msg);
      plan.condition(PROGRESSING, true, "RolloutComplete", msg);
      plan.condition(DEGRADED, true, "ReplicasUnavailable", msg);
      pausedCondition();
      return new RollingPlanner.Step(Phase.Degraded, msg, KEY, target, Optional.empty());
    }
    plan.condition(AVAILABLE, available() >= app.replicas() && available() > 0, "ScalingUp",
        msg);
    plan.condition(PROGRESSING, true, "ReplicaSetUpdated", msg);
    plan.condition(DEGRADED, false, "Progressing", msg);
    pausedCondition();
    return new RollingPlanner.Step(Phase.Progressing, msg, KEY, target, Optional.empty());
  }

  /** A new template (or the first one, or a retry): write it, unless paused. */
  private RollingPlanner.Step newTemplate(Bookkeeping ann, boolean retried) {
    int rev = plan.rev(target);
    if (rolling != null && plan.paused()) {
      putRolling(ann.withProgressSince(seen.progressSince()), current, stable);
      String msg = BlueGreenPlanner.PAUSED_BY + " Revision " + rev + " waits; revision "
          + plan.rev(servingHash()) + " serves.";
      availableCondition(counts() + ".");
      plan.condition(PAUSED, true, "Paused", msg);
      plan.condition(PROGRESSING, true, "Paused", msg);
      return new RollingPlanner.Step(Phase.Paused, msg, KEY, servingHash(), Optional.empty());
    }
    // Recorded already: the template waits (for its expand migration), it did not start anew.
    boolean recorded = !retried && rolling != null
        && seen.rolloutTarget().filter(target::equals).isPresent();
    if (analysis.configured() && stable != null && !stable.equals(target)) {
      ann = ann.withAttempt(analysis.attempt(rev,
          recorded ? seen.attempt() : Optional.empty(), retried));
    }
    putRolling(ann.withProgressSince(now), target, stable);
    if (!recorded && rolling == null) {
      plan.event(PlannedEvent.normal("Deploying", "Deploying revision " + rev + " with "
          + app.replicas() + " pods in Deployment " + app.name() + "."));
    } else if (!recorded) {
      plan.event(PlannedEvent.normal("RolloutStarted", "Rolling out revision " + rev
          + " over revision " + plan.rev(servingHash()) + " (maxSurge " + str(app.maxSurge())
          + ", maxUnavailable " + str(app.maxUnavailable()) + ")."));
    }
    boolean over = stable != null && !stable.equals(target);
    if (over) {
      plan.wakeAt(now.plus(app.progressDeadline()));
    }
    String msg = "Rolling out revision " + rev + ": starting"
        + (over ? "; revision " + plan.rev(stable) + " serves." : ".");
    availableCondition(msg);
    plan.condition(PROGRESSING, true, "NewRevisionProgressing", msg);
    plan.condition(DEGRADED, false, "Progressing", msg);
    pausedCondition();
    return new RollingPlanner.Step(Phase.Progressing, msg, KEY, servingHash(),
        over ? Optional.of(target) : Optional.empty());
  }

  /** The target's template rolls in over the stable revision: abort, pause or wait. */
  private RollingPlanner.Step rollingIn(Bookkeeping ann, Instant since) {
    int rev = plan.rev(target);
    String progress = "Revision " + rev + ": " + counts() + "; revision " + plan.rev(stable)
        + " serves the rest.";
    if (cmd.abort()) {
      return abort(ann, RolloutAbort.BY_USER, "Rollout of revision " + rev
          + " aborted by request (" + counts() + ").");
    }
    if (plan.paused()) {
      putRolling(ann, target, stable);
      String msg = BlueGreenPlanner.PAUSED_BY + " " + progress;
      availableCondition(progress);
      plan.condition(PAUSED, true, "Paused", msg);
      plan.condition(PROGRESSING, true, "Paused", msg);
      return new RollingPlanner.Step(Phase.Paused, msg, KEY, stable, Optional.of(target));
    }
    Instant deadline = since.plus(app.progressDeadline());
    if (!now.isBefore(deadline)) {
      return abort(ann, "ProgressDeadlineExceeded", "Revision " + rev
          + " was not rolled out within " + app.progressDeadline().toSeconds() + "s: "
          + counts() + "." + problems());
    }
    plan.wakeAt(deadline);
    putRolling(ann, target, stable);
    String msg = "Rolling out revision " + rev + ": " + counts() + "; revision "
        + plan.rev(stable) + " serves the rest." + problems();
    availableCondition(msg);
    plan.condition(PROGRESSING, true, "NewRevisionProgressing", msg);
    plan.condition(DEGRADED, false, "Progressing", msg);
    pausedCondition();
    return new RollingPlanner.Step(Phase.Progressing, msg, KEY, stable, Optional.of(target));
  }

  /**
   * An inconclusive analysis holds the rollout: the Deployment pauses where it is (no more
   * pods move) until a promote accepts the verdict once, an abort, or the progress deadline
   * counted from the verdict.
   */
  private RollingPlanner.Step heldByAnalysis(Bookkeeping ann, RollingAnalysis.Verdict verdict,
      boolean complete) {
    int rev = plan.rev(target);
    Instant deadline = verdict.decidedAt().orElse(now).plus(app.progressDeadline());
    if (!now.isBefore(deadline)) {
      return abort(ann, "AnalysisInconclusive", verdict.message() + " No promote accepted it "
          + "within " + app.progressDeadline().toSeconds() + "s.");
    }
    plan.wakeAt(deadline);
    // A rolled-out Deployment has nothing left to hold: pausing it would be a needless write.
    putRolling(complete ? ann : ann.withPaused(true), target, stable);
    String msg = verdict.message() + " Revision " + rev + ": " + counts() + "; revision "
        + plan.rev(stable) + " stays the stable one. Annotate " + Commands.PROMOTE
        + " (or run `kubectl baton promote`) to accept it once, or abort; it aborts by itself "
        + "at " + deadline + ".";
    availableCondition(msg);
    plan.condition(PAUSED, true, "AnalysisInconclusive", msg);
    plan.condition(PROGRESSING, true, "AnalysisInconclusive", msg);
    plan.condition(DEGRADED, false, "AnalysisInconclusive", msg);
    return new RollingPlanner.Step(Phase.Paused, msg, KEY, stable, Optional.of(target));
  }

  /** Writes the stable template back (the old ReplicaSet scales up again). */
  private RollingPlanner.Step abort(Bookkeeping ann, String reason, String message) {
    Bookkeeping aborted = RolloutAbort.decide(plan, ann.withAbortedHash(target), target, reason,
        message, "Rolling back to revision " + plan.rev(stable) + ".");
    putRolling(aborted.withProgressSince(now), stable, stable);
    return abortedState(reason, message);
  }

  private RollingPlanner.Step abortedState(String reason, String message) {
    RolloutAbort.Report r = RolloutAbort.report(plan, reason, message, "Back on revision "
        + plan.rev(stable) + " (" + counts() + ")", plan.rev(stable),
        available() >= app.replicas());
    return new RollingPlanner.Step(r.phase(), r.message(), KEY, stable, Optional.empty());
  }

  /** The rolling Deployment at full size running {@code template} (null: keep its template). */
  private void putRolling(Bookkeeping ann, String template, String stableHash) {
    String serving = stableHash != null ? stableHash : template;
    int revision = serving != null ? plan.rev(serving) : rolling.revision();
    Bookkeeping b = ann;
    if (template != null) {
      b = b.withTemplateHash(template);
    }
    if (stableHash != null) {
      b = b.withStableHash(stableHash);
    }
    if (rolling != null && plan.paused()) {
      b = b.withPaused(true);
    }
    plan.keep(KEY, revision, app.replicas(), b);
  }

  private void availableCondition(String msg) {
    boolean all = available() >= app.replicas();
    plan.condition(AVAILABLE, all, all ? "AllReplicasAvailable" : "ReplicasUnavailable", msg);
  }

  private void pausedCondition() {
    boolean paused = plan.paused();
    plan.condition(PAUSED, paused, paused ? "Paused" : "Running",
        paused ? BlueGreenPlanner.PAUSED_BY : "Not paused.");
  }

  /** The revision the rolling Deployment serves now: stable, else its current template. */
  private String servingHash() {
    return stable != null ? stable : current != null ? current : target;
  }

  private int available() {
    return rolling == null ? 0 : rolling.availableReplicas();
  }

  private String counts() {
    return RollingSwitchIn.counts(app, rolling);
  }

  private String problems() {
    return BlueGreenPlanner.problems(rolling);
  }

  private static String str(IntOrString v) {
    return v.getStrVal() != null ? v.getStrVal() : String.valueOf(v.getIntVal());
  }
}
