package dev.baton.planning;

import dev.baton.analysis.RunKey;
import dev.baton.api.v1alpha1.Phase;
import java.time.Instant;
import java.util.Optional;

/**
 * The rollout of a new version beside the live one, for the two-Deployment strategies: the
 * retry, abort and pause commands, the switch back to a warm version, and the blue/green flow
 * (preview, ready, promotion delay or promote, pre-promotion analysis, scale to full size,
 * switch). Canary and blue/green traffic steps hand over to the {@link StepMachine}.
 */
final class BlueGreenRollout {

  private final PlanBuilder plan;
  private final Snapshot s;
  private final AppSettings app;
  private final Instant now;
  private final RolloutAnalysis analysis;
  private final StepMachine steps;

  BlueGreenRollout(PlanBuilder plan, AnalysisGate gate) {
    this.plan = plan;
    this.s = plan.snapshot();
    this.app = plan.app();
    this.now = plan.now();
    this.analysis = new RolloutAnalysis(plan, gate);
    this.steps = new StepMachine(plan, gate, analysis);
  }

  /**
   * A new target while the ingress (or a spanning Service) still sends part of the traffic to
   * the preview Service, e.g. a new spec in the middle of a canary: the preview Service must not
   * move to the new target's pods before that traffic is back on the live version. Until the
   * weight is read back at 0, the preview Service selects the live version (at full size, so
   * that traffic is served) and the weight goes to 0; the new target starts meanwhile.
   */
  Rollout rolloutWithTrafficCarriedOver(String live, String target) {
    VersionState tv = s.versions().get(target);
    boolean stepsStarted = tv != null && tv.bookkeeping().step().isPresent();
    boolean previewCarriesTraffic = s.traffic().wide()
        || s.traffic().weight().filter(w -> w > 0).isPresent();
    Rollout r = rollout(live, target);
    if (stepsStarted || !previewCarriesTraffic || r.switched()) {
      return r;
    }
    plan.allTrafficToActive();
    plan.currentStep(null);
    plan.wakeAt(now.plus(BlueGreenPlanner.SETTLE_POLL));
    return new Rollout(r.phase(), r.message() + " The previous rollout's share of traffic "
        + "goes back to revision " + plan.rev(live) + " first.", false, false);
  }

  private Rollout rollout(String live, String target) {
    VersionState tv = s.versions().get(target);
    int rev = plan.rev(target);
    Commands cmd = s.commands();
    Bookkeeping ann = Bookkeeping.NONE;

    Optional<Bookkeeping.Abort> wasAborted = Optional.ofNullable(tv)
        .flatMap(v -> v.bookkeeping().aborted());
    if (wasAborted.isPresent() && !cmd.retry()) {
      // Kept aborted until a retry or a new revision: its reason and its attempt stay.
      plan.keep(target, rev, BlueGreenSwitch.drainedSize(plan, tv), ann
          .withAborted(wasAborted).withAttempt(tv.bookkeeping().attempt()));
      plan.allTrafficToActive();
      return BlueGreenSwitch.aborted(plan, live, wasAborted.get().reason(),
          wasAborted.get().message());
    }
    if (cmd.abort()) {
      return BlueGreenSwitch.abort(plan, live, target, ann, RolloutAbort.BY_USER,
          "Rollout of revision " + rev + " aborted by request.");
    }
    if (plan.paused()) {
      if (tv != null) {
        plan.keep(target, rev, tv.specReplicas(), tv.bookkeeping());
      }
      String msg = BlueGreenPlanner.PAUSED_BY + " Revision " + rev + " waits; revision "
          + plan.rev(live) + " serves.";
      plan.condition(BlueGreenPlanner.PAUSED, true, "Paused", msg);
      plan.condition(BlueGreenPlanner.PROGRESSING, true, "Paused", msg);
      return new Rollout(Phase.Paused, msg, tv != null, false);
    }
    plan.condition(BlueGreenPlanner.PAUSED, false, "Running", "Not paused.");
    plan.condition(BlueGreenPlanner.AVAILABLE, true, "AllReplicasAvailable",
        "Revision " + plan.rev(live) + " serves while revision " + rev + " rolls out.");

    boolean retried = wasAborted.isPresent() && cmd.retry();
    if (tv == null || retried) {
      plan.event(PlannedEvent.normal("RolloutStarted", "Rolling out revision " + rev
          + " beside live revision " + plan.rev(live) + "."));
    }

    // A version that served before and is still warm at full size: switch back at once.
    if (tv != null && !retried && tv.bookkeeping().served()
        && tv.isAvailableAt(app.replicas())) {
      return BlueGreenSwitch.switchTo(plan, target, "RolledBack",
          "Switched back to warm revision " + rev + ".");
    }

    if (app.strategy() == AppSettings.Strategy.CANARY) {
      return steps.stepped(live, target, tv, ann, retried);
    }
    return blueGreen(live, target, tv, ann, retried);
  }

  /** Preview, ready, promotion (delay or promote, after the pre-promotion analysis), switch. */
  private Rollout blueGreen(String live, String target, VersionState tv, Bookkeeping ann,
      boolean retried) {
    int rev = plan.rev(target);
    Commands cmd = s.commands();
    // The pre-promotion analysis runs on the preview once it is ready; no switch before it
    // passed.
    RolloutAnalysis.PrePromotion pre = analysis.prePromotion(live, target,
        analysis.attempt(tv, rev, retried), retried);
    ann = ann.withAttempt(pre.key().map(RunKey::attempt));
    boolean promoteCommand = cmd.promote() && (pre.passed() || pre.accepted());
    boolean promoting = (tv != null && tv.bookkeeping().promoting() && !retried)
        || promoteCommand;
    int size = promoting ? app.replicas() : app.previewReplicas();
    Instant progressSince = tv == null || retried || tv.specReplicas() != size
        ? now : tv.bookkeeping().progressSince().orElse(now);
    boolean ready = tv != null && !retried && tv.isServableAt(size);

    if (!ready) {
      Instant deadline = progressSince.plus(app.progressDeadline());
      if (!now.isBefore(deadline)) {
        return BlueGreenSwitch.abort(plan, live, target, ann, "ProgressDeadlineExceeded",
            "Revision " + rev + " was not ready within " + app.progressDeadline().toSeconds()
                + "s: " + (tv == null ? "no pods" : tv.availableReplicas() + "/" + size
                + " pods available") + "." + BlueGreenPlanner.problems(tv));
      }
      plan.wakeAt(deadline);
      plan.keep(target, rev, size, ann.withProgressSince(progressSince).withPromoting(promoting));
      String msg = "Revision " + rev + ": " + (tv == null ? 0 : tv.availableReplicas()) + "/"
          + size + " pods available" + (promoting ? " (scaling to full size to promote)" : "")
          + "; revision " + plan.rev(live) + " serves." + BlueGreenPlanner.problems(tv);
      return Rollout.progressing(plan, msg, promoting ? "Promoting" : "NewRevisionProgressing");
    }

    if (promoting && !app.steps().isEmpty()) {
      // Available at full size: shift traffic through the ingress step by step.
      return steps.stepped(live, target, tv, ann.withPromoting(true)
          .withProgressSince(progressSince), retried);
    }
    if (promoting) {
      // Available at full size: switch in one write.
      return BlueGreenSwitch.switchTo(plan, target, "Promoted",
          "Switched traffic to revision " + rev + (cmd.promote() ? " (manual promote)." : "."));
    }
    return ready(live, target, tv, ann, retried, progressSince, size, pre.key());
  }

  /** The preview is ready at its size: analysis, then the promotion delay or a promote. */
  private Rollout ready(String live, String target, VersionState tv, Bookkeeping b,
      boolean retried, Instant progressSince, int size, Optional<RunKey> preKey) {
    int rev = plan.rev(target);
    Instant readySince = tv.bookkeeping().readySince().orElse(now);
    if (tv.bookkeeping().readySince().isEmpty()) {
      plan.event(PlannedEvent.normal("PreviewReady", "Revision " + rev + " has all "
          + size + " preview pods available."));
    }
    Bookkeeping ann = b.withProgressSince(progressSince).withReadySince(readySince);
    if (preKey.isPresent()) {
      Optional<Rollout> held = analysis.gatePreview(live, target, tv, ann, preKey.get(), size);
      if (held.isPresent()) {
        return held.get();
      }
    }
    Instant promoteAt = readySince.plus(app.promotionDelay());
    if (app.autoPromotion() && !now.isBefore(promoteAt)) {
      if (size == app.replicas() && !app.steps().isEmpty()) {
        return steps.stepped(live, target, tv, ann.withPromoting(true), retried);
      }
      if (size == app.replicas()) {
        return BlueGreenSwitch.switchTo(plan, target, "Promoted",
            "Switched traffic to revision " + rev + ".");
      }
      // Scale to full size first; the switch follows once every pod is available.
      plan.wakeAt(now.plus(app.progressDeadline()));
      plan.keep(target, rev, app.replicas(), ann.withPromoting(true).withProgressSince(now));
      return Rollout.progressing(plan, "Promoting revision " + rev + ": scaling to "
          + app.replicas() + " pods before switching traffic.", "Promoting");
    }
    plan.keep(target, rev, size, ann);
    if (app.autoPromotion()) {
      plan.wakeAt(promoteAt);
      return Rollout.progressing(plan, "Revision " + rev + " is ready; promoting at " + promoteAt
          + ".", "WaitingForPromotionDelay");
    }
    return Rollout.waiting(plan, "Revision " + rev + " is ready and waits for a promote "
        + "(annotate " + Commands.PROMOTE + " or run `kubectl baton promote`).",
        "WaitingForPromotion");
  }
}
