package dev.baton.planning;

import dev.baton.analysis.AnalysisRunStatuses;
import dev.baton.analysis.AnalysisVariables;
import dev.baton.analysis.RunKey;
import dev.baton.api.v1alpha1.AnalysisPhase;
import dev.baton.api.v1alpha1.AnalysisRunStatus;
import dev.baton.api.v1alpha1.AnalysisSpec;
import java.time.Instant;
import java.util.Optional;

/**
 * The analysis hooks of a two-Deployment rollout: which attempt a run belongs to, the
 * pre-promotion gate of blue/green, the background analysis of a stepped rollout, and what a
 * verdict does (a failure aborts, an inconclusive one pauses until a promote or the deadline).
 * The runs themselves are the {@link AnalysisGate}'s.
 */
final class RolloutAnalysis {

  private final PlanBuilder plan;
  private final Snapshot s;
  private final AnalysisGate gate;

  RolloutAnalysis(PlanBuilder plan, AnalysisGate gate) {
    this.plan = plan;
    this.s = plan.snapshot();
    this.gate = gate;
  }

  /**
   * The pre-promotion analysis of a blue/green preview, as far as it is known before the preview
   * is ready.
   *
   * @param key the run, if the app has one
   * @param passed it passed (or there is none): the switch may happen
   * @param accepted a promote accepted its inconclusive verdict in this pass
   */
  record PrePromotion(Optional<RunKey> key, boolean passed, boolean accepted) {}

  /**
   * Where the pre-promotion analysis of {@code target} stands before the preview is ready. A
   * promote passes it only when it is inconclusive (accepted once, recorded).
   */
  PrePromotion prePromotion(String live, String target, int attempt, boolean retried) {
    Optional<AnalysisSpec> pre = s.analysis().prePromotion();
    if (pre.isEmpty()) {
      return new PrePromotion(Optional.empty(), true, false);
    }
    int rev = plan.rev(target);
    RunKey preKey = new RunKey(rev, attempt, RunKey.PRE_PROMOTION);
    Optional<AnalysisRunStatus> recorded = AnalysisRunStatuses.find(s.analysis().recorded(),
        preKey);
    boolean passed = recorded.filter(r -> r.phase == AnalysisPhase.Successful
        || (r.phase == AnalysisPhase.Inconclusive && Boolean.TRUE.equals(r.overridden)))
        .isPresent();
    boolean accepted = !passed && s.commands().promote() && !retried && recorded.filter(r ->
        r.phase == AnalysisPhase.Inconclusive).isPresent();
    if (accepted) {
      gate.run(preKey, pre.get(), variables(target, live, rev, 0, 0));
      gate.override(preKey);
      plan.event(PlannedEvent.normal("AnalysisOverridden", "Revision " + rev + ": the "
          + "inconclusive pre-promotion analysis was accepted by a promote."));
    }
    return new PrePromotion(Optional.of(preKey), passed, accepted);
  }

  /**
   * The pre-promotion analysis once the preview is ready: empty when it passed (the switch may
   * follow), else where the rollout stands.
   */
  Optional<Rollout> gatePreview(String live, String target, VersionState tv, Bookkeeping ann,
      RunKey key, int size) {
    int rev = plan.rev(target);
    AnalysisGate.State st = gate.run(key, s.analysis().prePromotion().get(),
        variables(target, live, rev, 0, 0));
    String what = "Revision " + rev + ": pre-promotion";
    if (st.phase() == AnalysisPhase.Failed) {
      return Optional.of(failed(live, target, ann, what, st));
    }
    if (st.awaitsDecision()) {
      return Optional.of(holdInconclusive(live, target, tv, ann, what + " analysis", st));
    }
    if (!st.passed()) {
      if (s.commands().promote()) {
        plan.event(PlannedEvent.normal("PromoteIgnored", what + " analysis runs; a promote "
            + "passes only an inconclusive one."));
      }
      plan.keep(target, rev, size, ann);
      return Optional.of(Rollout.progressing(plan, what + " analysis runs on the preview before "
          + "the switch (a timer never passes it); revision " + plan.rev(live) + " serves.",
          "AnalysisRunning"));
    }
    if (st.decidedNow()) {
      plan.event(PlannedEvent.normal("AnalysisPassed", what + ": " + st.message() + "."));
    }
    return Optional.empty();
  }

  /** Where the background analysis stands stops the rollout (failed, or awaits a decision). */
  Optional<Rollout> backgroundVerdict(String live, String target, VersionState tv,
      Bookkeeping ann, int rev, AnalysisGate.State st) {
    if (st.phase() == AnalysisPhase.Failed) {
      return Optional.of(failed(live, target, ann, "Revision " + rev + ": background", st));
    }
    if (st.awaitsDecision()) {
      return Optional.of(holdInconclusive(live, target, tv, ann, "Revision " + rev
          + ": background analysis", st));
    }
    return Optional.empty();
  }

  /** Whether the background analysis runs at step {@code index} (its start reached). */
  boolean backgroundRunsAt(int index, boolean stepReached) {
    return s.analysis().background().map(b -> {
      int from = b.startingStep == null ? 0 : b.startingStep;
      return index > from || (index == from && stepReached);
    }).orElse(false);
  }

  /** A failed verdict aborts the rollout. */
  Rollout failed(String live, String target, Bookkeeping ann, String where,
      AnalysisGate.State st) {
    String msg = where + " analysis failed: " + st.message() + ".";
    plan.event(PlannedEvent.warning("AnalysisFailed", msg));
    return BlueGreenSwitch.abort(plan, live, target, ann, "AnalysisFailed", msg);
  }

  /** Paused on an inconclusive verdict, weight and pods held, until a promote or the deadline. */
  Rollout holdInconclusive(String live, String target, VersionState tv, Bookkeeping ann,
      String what, AnalysisGate.State st) {
    AppSettings app = plan.app();
    Instant now = plan.now();
    Instant deadline = st.completedAt().orElse(now).plus(app.progressDeadline());
    if (!now.isBefore(deadline)) {
      return BlueGreenSwitch.abort(plan, live, target, ann, "AnalysisInconclusive", what
          + " was inconclusive (" + st.message() + ") and no promote accepted it within "
          + app.progressDeadline().toSeconds() + "s.");
    }
    plan.wakeAt(deadline);
    // Pods, weight, step and the step's hold stay as observed.
    Bookkeeping seen = tv.bookkeeping();
    Bookkeeping held = seen.overlaidWith(ann);
    held = held.withStep(seen.step().or(held::step))
        .withStepSince(seen.stepSince().or(held::stepSince));
    plan.keep(target, plan.rev(target), tv.specReplicas(), held);
    String msg = what + " is inconclusive: " + st.message() + ". The weight is held; "
        + "annotate " + Commands.PROMOTE + " (or run `kubectl baton promote`) to accept it "
        + "once, or abort; it aborts by itself at " + deadline + ".";
    if (st.decidedNow()) {
      plan.event(PlannedEvent.warning("AnalysisInconclusive", msg));
    }
    return Rollout.waiting(plan, msg, "AnalysisInconclusive");
  }

  /**
   * The attempt at the target: as recorded while its rollout goes on; one more on a retry, and
   * on a new rollout of a revision analysed before (its Deployment gone: the spec came back to
   * it, or an undo to it), so no earlier verdict is reused.
   */
  int attempt(VersionState tv, int rev, boolean retried) {
    int recorded = s.analysis().recorded().stream()
        .filter(r -> r.revision != null && r.revision == rev && r.attempt != null)
        .mapToInt(r -> r.attempt).max().orElse(0);
    if (tv != null && tv.bookkeeping().attempt().isPresent()) {
      recorded = Math.max(recorded, tv.bookkeeping().attempt().get());
    }
    boolean newRollout = tv == null && recorded > 0;
    return retried || newRollout ? recorded + 1 : Math.max(1, recorded);
  }

  /** Baton's variables for the analyses of the target at this step. */
  AnalysisVariables variables(String target, String live, int rev, int weight, int step) {
    AppSettings app = plan.app();
    return new AnalysisVariables(app.name(), app.namespace(), rev, target, live,
        DesiredObjects.activeServiceName(app.name()),
        DesiredObjects.previewServiceName(app.name()), app.servicePort(), app.name(), weight,
        step);
  }
}
