package dev.baton.planning;

import dev.baton.analysis.AnalysisVariables;
import dev.baton.analysis.RunKey;
import dev.baton.api.v1alpha1.AnalysisPhase;
import dev.baton.api.v1alpha1.AnalysisSpec;
import dev.baton.api.v1alpha1.IngressSpec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The step machine canary and stepped blue/green share (canary steps, or blue/green traffic steps
 * once the new version runs at full size). Each step: size the new version, wait until its pods
 * are available, set the weight, wait until the weight is read back, hold (for a time, until a
 * promote, or until an analysis' verdict), move on. After the last step the new version goes to
 * full size and takes all traffic in one write. The step index and when its hold began are the
 * new version's bookkeeping, so a restarted operator resumes at the same step with the same
 * weights. Replica arithmetic is {@link CanaryArithmetic}'s.
 */
final class StepMachine {

  private final PlanBuilder plan;
  private final Snapshot s;
  private final AppSettings app;
  private final Instant now;
  private final AnalysisGate gate;
  private final RolloutAnalysis analysis;

  StepMachine(PlanBuilder plan, AnalysisGate gate, RolloutAnalysis analysis) {
    this.plan = plan;
    this.s = plan.snapshot();
    this.app = plan.app();
    this.now = plan.now();
    this.gate = gate;
    this.analysis = analysis;
  }

  /** One pass of the steps of {@code target} while {@code live} serves. */
  Rollout stepped(String live, String target, VersionState tv, Bookkeeping b,
      boolean retried) {
    List<RolloutStep> steps = app.steps();
    Commands cmd = s.commands();
    int rev = plan.rev(target);
    boolean started = tv != null && tv.bookkeeping().step().isPresent() && !retried;
    int index = started ? Math.max(0, tv.bookkeeping().step().get()) : 0;
    Optional<Instant> stepSince = started ? tv.bookkeeping().stepSince() : Optional.empty();
    int attempt = analysis.attempt(tv, rev, retried);
    Bookkeeping ann = b.withAttempt(attempt);
    boolean promote = started && cmd.promote() && !cmd.promoteFull();
    // The background analysis runs from its starting step (once reached) until promotion.
    Optional<RunKey> background = Optional.empty();
    if (started && analysis.backgroundRunsAt(index, stepSince.isPresent())) {
      background = Optional.of(new RunKey(rev, attempt, RunKey.BACKGROUND));
      AnalysisGate.State backgroundState = gate.run(background.get(),
          s.analysis().background().get(), analysis.variables(target, live, rev,
              CanaryArithmetic.weightAt(steps, index), index));
      if (backgroundState.awaitsDecision() && cmd.promote()) {
        gate.override(background.get());
        plan.event(PlannedEvent.normal("AnalysisOverridden", "The inconclusive background "
            + "analysis of revision " + rev + " was accepted by a promote."));
        promote = false; // one decision per promote (--full still skips the steps)
      } else {
        Optional<Rollout> stop = analysis.backgroundVerdict(live, target, tv, ann, rev,
            backgroundState);
        if (stop.isPresent()) {
          return stop.get();
        }
      }
    }
    Optional<AnalysisSpec> stepAnalysis = index < steps.size() ? steps.get(index).analysis()
        : Optional.empty();
    if (started && cmd.promoteFull()) {
      index = steps.size();
      plan.event(PlannedEvent.normal("StepsSkipped", "Full promotion of revision " + rev
          + " requested: skipping the remaining steps."));
    } else if (promote && index < steps.size() && stepAnalysis.isPresent()) {
      // A promote passes an analysis step only on an inconclusive verdict, recorded as
      // overridden; a running analysis is never skipped by it.
      RunKey key = RunKey.step(rev, attempt, index);
      AnalysisGate.State st = stepSince.isPresent()
          ? gate.run(key, stepAnalysis.get(), analysis.variables(target, live, rev,
              CanaryArithmetic.weightAt(steps, index), index))
          : null;
      if (st != null && st.awaitsDecision()) {
        gate.override(key);
        plan.event(PlannedEvent.normal("AnalysisOverridden", "Step " + (index + 1) + "/"
            + steps.size() + " of revision " + rev + ": the inconclusive analysis was "
            + "accepted by a promote."));
        index++;
        stepSince = Optional.empty();
      } else if (st == null || !st.passed()) {
        plan.event(PlannedEvent.normal("PromoteIgnored", "Step " + (index + 1) + "/"
            + steps.size() + " of revision " + rev + " waits for its analysis' verdict; a "
            + "promote passes only an inconclusive one (promote --full skips every step)."));
      }
    } else if (promote && index < steps.size()) {
      plan.event(PlannedEvent.normal("StepPromoted", "Step " + (index + 1) + "/" + steps.size()
          + " of revision " + rev + " promoted by hand."));
      index++;
      stepSince = Optional.empty();
    }
    if (!started) {
      plan.event(PlannedEvent.normal("StepsStarted", "Revision " + rev + " starts its "
          + steps.size() + " traffic steps."));
    }
    ann = ann.withStep(Math.min(index, steps.size()));
    if (index >= steps.size()) {
      background.ifPresent(gate::end);
      return finalStep(live, target, tv, ann);
    }
    return atStep(live, target, tv, ann, retried, index, stepSince, attempt,
        background.isPresent());
  }

  /** Step {@code index} (not past the last): its pods, its weight, then its hold. */
  private Rollout atStep(String live, String target, VersionState tv, Bookkeeping b,
      boolean retried, int index, Optional<Instant> stepSince, int attempt,
      boolean backgroundRuns) {
    List<RolloutStep> steps = app.steps();
    int rev = plan.rev(target);
    plan.currentStep(index);
    RolloutStep step = steps.get(index);
    String where = "Step " + (index + 1) + "/" + steps.size() + " of revision " + rev;
    boolean byPodShare = app.provider() == IngressSpec.Provider.none;
    int stepWeight = CanaryArithmetic.weightAt(steps, index);
    int size = stepSize(stepWeight, CanaryArithmetic.scaleAt(steps, index));
    if (tv != null && size < tv.specReplicas() && !trafficSettledAt(stepWeight, byPodShare)) {
      size = tv.specReplicas(); // shrink only once the lower weight is read back
    }
    Instant progressSince = tv == null || retried || tv.specReplicas() != size
        ? now : tv.bookkeeping().progressSince().orElse(now);
    Bookkeeping ann = b.withProgressSince(progressSince);
    boolean podsReady = tv != null && !retried && tv.isServableAt(size) && othersDrained(
        live, target, byPodShare);
    if (!podsReady) {
      Instant deadline = progressSince.plus(app.progressDeadline());
      if (!now.isBefore(deadline)) {
        return BlueGreenSwitch.abort(plan, live, target, ann, "ProgressDeadlineExceeded", where
            + " was not ready within " + app.progressDeadline().toSeconds() + "s: "
            + (tv == null ? "no pods" : tv.availableReplicas() + "/" + size + " pods available")
            + "." + BlueGreenPlanner.problems(tv));
      }
      plan.wakeAt(deadline);
      plan.keep(target, rev, size, ann);
      return Rollout.progressing(plan, where + ": " + (tv == null ? 0 : tv.availableReplicas())
          + "/" + size + " pods available before the weight moves to " + stepWeight
          + "%; revision " + plan.rev(live) + " serves." + BlueGreenPlanner.problems(tv),
          "StepProgressing");
    }
    plan.keep(target, rev, size, ann);
    if (byPodShare) {
      plan.wide(stepWeight > 0);
    } else {
      plan.weight(stepWeight);
    }
    if (!trafficSettledAt(stepWeight, byPodShare)) {
      plan.wakeAt(now.plus(BlueGreenPlanner.SETTLE_POLL));
      String pending = s.traffic().heldBack(stepWeight)
          ? " (the preview Service has no ready endpoint yet)"
          : s.traffic().pending().isEmpty() ? "" : " (" + s.traffic().pending() + ")";
      return Rollout.progressing(plan, where + ": setting " + stepWeight + "% of traffic on "
          + app.provider() + " and waiting to read it back" + pending + ".", "SettingWeight");
    }
    Instant since = stepSince.orElse(now);
    // The hold began: recorded whatever the step decides next.
    ann = ann.withStepSince(since);
    plan.keep(target, rev, size, ann);
    if (stepSince.isEmpty()) {
      plan.event(PlannedEvent.normal("StepReached", where + ": " + stepWeight
          + "% of traffic, " + size + " pods."));
    }
    if (s.analysis().background().isPresent() && !backgroundRuns
        && analysis.backgroundRunsAt(index, true)) {
      // The starting step is reached in this pass: the background analysis starts now.
      AnalysisGate.State st = gate.run(new RunKey(rev, attempt, RunKey.BACKGROUND),
          s.analysis().background().get(), analysis.variables(target, live, rev, stepWeight,
              index));
      Optional<Rollout> stop = analysis.backgroundVerdict(live, target, tv, ann, rev, st);
      if (stop.isPresent()) {
        return stop.get();
      }
    }
    if (step.analysis().isPresent()) {
      return analysisStep(live, target, tv, ann, index, where, RunKey.step(rev, attempt, index),
          step.analysis().get(), analysis.variables(target, live, rev, stepWeight, index));
    }
    return hold(target, ann, index, where, step, since, stepWeight);
  }

  /** The step's weight and pods are in place: hold for its time or until a promote. */
  private Rollout hold(String target, Bookkeeping ann, int index, String where,
      RolloutStep step, Instant since, int stepWeight) {
    if (!step.pause()) {
      return advance(target, ann, index, where + " done.");
    }
    if (step.pauseFor().isPresent()) {
      Instant until = since.plus(step.pauseFor().get());
      if (!now.isBefore(until)) {
        return advance(target, ann, index, where + " held for "
            + step.pauseFor().get().toSeconds() + "s.");
      }
      plan.wakeAt(until);
      return Rollout.progressing(plan, where + ": " + stepWeight + "% of traffic; holding until "
          + until + ".", "StepPaused");
    }
    return Rollout.waiting(plan, where + ": " + stepWeight + "% of traffic; waits for a promote "
        + "(annotate " + Commands.PROMOTE + " or run `kubectl baton promote`; --full skips the "
        + "rest).", "WaitingForPromotion");
  }

  /**
   * A canary {@code analysis} step, its weight and pods in place: it holds until the verdict.
   * Passed, the rollout moves on; failed, it aborts (weight 0 in one write); inconclusive, it
   * pauses with the weight held until a promote accepts it or the progress deadline passes.
   */
  private Rollout analysisStep(String live, String target, VersionState tv,
      Bookkeeping ann, int index, String where, RunKey key, AnalysisSpec spec,
      AnalysisVariables variables) {
    AnalysisGate.State st = gate.run(key, spec, variables);
    if (st.phase() == AnalysisPhase.Failed) {
      return analysis.failed(live, target, ann, where, st);
    }
    if (st.passed()) {
      if (st.decidedNow()) {
        plan.event(PlannedEvent.normal("AnalysisPassed", where + ": " + st.message() + "."));
      }
      return advance(target, ann, index, where + ": analysis "
          + (st.overridden() ? "inconclusive, accepted by a promote." : "passed."));
    }
    if (st.awaitsDecision()) {
      return analysis.holdInconclusive(live, target, tv, ann, where + ": analysis", st);
    }
    return Rollout.progressing(plan, where + ": " + variables.weight() + "% of traffic; waiting "
        + "for the analysis' verdict (a timer never passes it).", "AnalysisRunning");
  }

  /** Moves to the next step at once (requeue now), recording it in the bookkeeping. */
  private Rollout advance(String target, Bookkeeping ann, int index, String message) {
    DesiredVersion d = plan.kept(target).orElseThrow();
    plan.keep(target, d.revision(), d.replicas(), ann.withStep(index + 1)
        .withStepSince(Optional.empty()));
    plan.wakeAt(now);
    plan.currentStep(index + 1 < app.steps().size() ? index + 1 : null);
    return Rollout.progressing(plan, message, "StepCompleted");
  }

  /** After the last step: full size, then every request to the new version in one write. */
  private Rollout finalStep(String live, String target, VersionState tv, Bookkeeping ann) {
    int rev = plan.rev(target);
    int size = app.replicas();
    if (tv != null && tv.isServableAt(size)) {
      return BlueGreenSwitch.switchTo(plan, target, "Promoted", "Switched all traffic to "
          + "revision " + rev + " after its steps.");
    }
    Instant progressSince = tv == null || tv.specReplicas() != size
        ? now : tv.bookkeeping().progressSince().orElse(now);
    Instant deadline = progressSince.plus(app.progressDeadline());
    if (!now.isBefore(deadline)) {
      return BlueGreenSwitch.abort(plan, live, target, ann, "ProgressDeadlineExceeded",
          "Revision " + rev + " was not available at full size within "
              + app.progressDeadline().toSeconds() + "s." + BlueGreenPlanner.problems(tv));
    }
    plan.wakeAt(deadline);
    plan.keep(target, rev, size, ann.withProgressSince(progressSince));
    return Rollout.progressing(plan, "Promoting revision " + rev + ": " + (tv == null ? 0
        : tv.availableReplicas()) + "/" + size + " pods available before all traffic moves.",
        "Promoting");
  }

  /** Pods of the new version at a step: its full size for blue/green, else from the weight. */
  private int stepSize(int stepWeight, RolloutStep.CanaryScale scale) {
    if (app.strategy() != AppSettings.Strategy.CANARY) {
      return app.replicas();
    }
    return app.provider() == IngressSpec.Provider.none
        ? CanaryArithmetic.replicasByPodShare(app.replicas(), stepWeight)
        : CanaryArithmetic.replicasWithProvider(app.replicas(), stepWeight, scale);
  }

  /**
   * True when the traffic objects hold the given weight (by pod share: the Service spans) and
   * may go on holding it: a weight the preview Service has no ready endpoint for is not settled.
   */
  private boolean trafficSettledAt(int w, boolean byPodShare) {
    return byPodShare ? s.traffic().wide() == (w > 0)
        : !s.traffic().heldBack(w) && s.traffic().weight().filter(x -> x == w).isPresent();
  }

  /** A canary by pod share: no third version may have pods the spanning Service would pick up. */
  private boolean othersDrained(String live, String target, boolean byPodShare) {
    return !byPodShare || s.versions().values().stream()
        .filter(v -> !v.hash().equals(live) && !v.hash().equals(target))
        .allMatch(v -> v.readyReplicas() == 0 && v.specReplicas() == 0);
  }
}
