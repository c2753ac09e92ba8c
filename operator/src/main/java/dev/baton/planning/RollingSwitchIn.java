package dev.baton.planning;

import dev.baton.api.v1alpha1.Phase;
import java.time.Instant;
import java.util.Optional;

/**
 * The move of a blue/green app to the rolling strategy: a per-revision Deployment serves, so the
 * target comes up in the rolling Deployment at full size beside it, and the active Service moves
 * to it in one write once every pod is available (the serving version then retires like any
 * replaced one).
 */
final class RollingSwitchIn {

  private static final String KEY = Labels.ROLLING;

  private final PlanBuilder plan;
  private final VersionState rolling;
  private final String current;

  /**
   * @param rolling the rolling Deployment, if it exists
   * @param current the revision in its pod template, if it exists
   */
  RollingSwitchIn(PlanBuilder plan, VersionState rolling, String current) {
    this.plan = plan;
    this.rolling = rolling;
    this.current = current;
  }

  /** One pass while the per-revision Deployment {@code live} serves. */
  RollingPlanner.Step switchIn(String live) {
    AppSettings app = plan.app();
    Commands cmd = plan.snapshot().commands();
    Instant now = plan.now();
    String target = plan.target();
    BlueGreenPlanner.keepServing(plan, live, plan.snapshot().versions().get(live));
    int rev = plan.rev(target);
    Bookkeeping ann = Bookkeeping.NONE;
    Bookkeeping seen = rolling == null ? Bookkeeping.NONE : rolling.bookkeeping();
    boolean targetAborted = seen.abortedHash().filter(target::equals).isPresent();
    if (targetAborted && !cmd.retry()) {
      plan.keep(KEY, rev, 0, ann.withAbortedHash(seen.abortedHash())
          .withAborted(seen.aborted()).withTemplateHash(seen.templateHash()));
      return aborted(live, seen.aborted().map(Bookkeeping.Abort::reason).orElse(null),
          seen.aborted().map(Bookkeeping.Abort::message).orElse(null));
    }
    boolean retried = targetAborted;
    if (plan.paused()) {
      if (rolling != null) {
        plan.keep(KEY, rolling.revision(), rolling.specReplicas(), seen.withPaused(true));
      }
      String msg = BlueGreenPlanner.PAUSED_BY + " Revision " + rev + " waits to move to the "
          + "rolling Deployment; revision " + plan.rev(live) + " serves.";
      plan.condition(BlueGreenPlanner.PAUSED, true, "Paused", msg);
      plan.condition(BlueGreenPlanner.PROGRESSING, true, "Paused", msg);
      return new RollingPlanner.Step(Phase.Paused, msg, live, live, Optional.of(target));
    }
    plan.condition(BlueGreenPlanner.PAUSED, false, "Running", "Not paused.");
    plan.condition(BlueGreenPlanner.AVAILABLE, true, "AllReplicasAvailable",
        "Revision " + plan.rev(live) + " serves while revision " + rev
            + " starts in Deployment " + app.name() + ".");
    // Sized or templated anew, or just resumed: the deadline counts from now.
    boolean fresh = rolling == null || retried || !target.equals(current)
        || rolling.specReplicas() != app.replicas() || seen.paused();
    Instant since = fresh ? now : seen.progressSince().orElse(now);
    if (fresh && (rolling == null || retried || !target.equals(current))) {
      plan.event(PlannedEvent.normal("RolloutStarted", "Moving to the rolling strategy: "
          + "revision " + rev + " starts in Deployment " + app.name() + " at full size beside "
          + "live revision " + plan.rev(live) + "."));
    }
    ann = ann.withTemplateHash(target).withProgressSince(since);
    boolean ready = !fresh && rolling.isAvailableAt(app.replicas())
        && rolling.updatedReplicas() >= app.replicas();
    if (ready) {
      plan.keep(KEY, rev, app.replicas(), ann.withPromotedAt(now).withStableHash(target));
      plan.promoted(target);
      String msg = "Switched traffic to revision " + rev + " in the rolling Deployment "
          + app.name() + "; revision " + plan.rev(live) + " is retired after its window.";
      plan.event(PlannedEvent.normal("Promoted", msg));
      plan.condition(BlueGreenPlanner.PROGRESSING, true, "Promoted", msg);
      plan.condition(BlueGreenPlanner.DEGRADED, false, "Promoted", msg);
      return new RollingPlanner.Step(Phase.Progressing, msg, KEY, target, Optional.empty());
    }
    String reasonAbort = cmd.abort() ? RolloutAbort.BY_USER : null;
    Instant deadline = since.plus(app.progressDeadline());
    String counts = rolling == null || fresh ? "no pods yet" : counts(app, rolling);
    if (reasonAbort == null && !now.isBefore(deadline)) {
      reasonAbort = "ProgressDeadlineExceeded";
    }
    if (reasonAbort != null) {
      String message = reasonAbort.equals(RolloutAbort.BY_USER)
          ? "Move of revision " + rev + " to the rolling Deployment aborted by request."
          : "Revision " + rev + " was not available in Deployment " + app.name() + " within "
              + app.progressDeadline().toSeconds() + "s: " + counts + "."
              + BlueGreenPlanner.problems(rolling);
      plan.keep(KEY, rev, 0, RolloutAbort.decide(plan, ann.withAbortedHash(target), target,
          reasonAbort, message, "Revision " + plan.rev(live) + " keeps serving."));
      return aborted(live, reasonAbort, message);
    }
    plan.wakeAt(deadline);
    plan.keep(KEY, rev, app.replicas(), ann);
    String msg = "Moving to the rolling strategy: revision " + rev + " in Deployment "
        + app.name() + ": " + counts + "; revision " + plan.rev(live) + " serves."
        + BlueGreenPlanner.problems(rolling);
    plan.condition(BlueGreenPlanner.PROGRESSING, true, "NewRevisionProgressing", msg);
    plan.condition(BlueGreenPlanner.DEGRADED, false, "Progressing", msg);
    return new RollingPlanner.Step(Phase.Progressing, msg, live, live, Optional.of(target));
  }

  private RollingPlanner.Step aborted(String live, String reason, String message) {
    RolloutAbort.Report r = RolloutAbort.report(plan, reason, message, "Revision "
        + plan.rev(live) + " serves", plan.rev(live), true);
    return new RollingPlanner.Step(r.phase(), r.message(), live, live, Optional.empty());
  }

  /** How far the rolling Deployment is, for messages. */
  static String counts(AppSettings app, VersionState rolling) {
    if (rolling == null) {
      return "0/" + app.replicas() + " pods updated, 0 available";
    }
    return rolling.updatedReplicas() + "/" + app.replicas() + " pods updated, "
        + rolling.availableReplicas() + "/" + app.replicas() + " available";
  }
}
