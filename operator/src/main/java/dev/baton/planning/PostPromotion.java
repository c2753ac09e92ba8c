package dev.baton.planning;

import dev.baton.analysis.AnalysisVariables;
import dev.baton.analysis.RunKey;
import dev.baton.api.v1alpha1.AnalysisPhase;
import dev.baton.api.v1alpha1.AnalysisSpec;
import dev.baton.api.v1alpha1.Phase;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/**
 * Blue/green postPromotionAnalysis, pure: after the switch, while the previous version is still
 * warm at full size, the new live version is analysed. Running (or inconclusive, awaiting a
 * decision), the previous version is held warm; failed (or inconclusive past the progress
 * deadline), traffic switches back to it through the undo path, pinned until spec.template
 * changes. An undo in force skips analysis; with no warm version to go back to (a first deploy)
 * there is nothing to run.
 *
 * @param key the run
 * @param state where it stands
 * @param warm the previous version, warm at full size
 * @param switchBack traffic goes back to {@code warm} now
 * @param accepted a promote accepted an inconclusive verdict in this pass
 */
record PostPromotion(RunKey key, AnalysisGate.State state, VersionState warm, boolean switchBack,
    boolean accepted) {

  /** The previous version stays at full size while the verdict is awaited. */
  boolean holdsWarm() {
    return !switchBack && (state.phase() == AnalysisPhase.Running || state.awaitsDecision())
        && !accepted;
  }

  /**
   * This analysis of the live revision {@code rev}, as phase and conditions (empty: nothing to
   * report), with its Events. While it runs, the previous version is held warm.
   */
  Optional<Phase> report(PlanBuilder plan, int rev) {
    AnalysisGate.State st = state;
    String what = "Revision " + rev + ": post-promotion analysis";
    if (accepted) {
      plan.event(PlannedEvent.normal("AnalysisOverridden", what + " was inconclusive and is "
          + "accepted by a promote."));
      return Optional.empty();
    }
    if (st.passed()) {
      if (st.decidedNow()) {
        plan.event(PlannedEvent.normal("AnalysisPassed", what + ": " + st.message() + "."));
      }
      return Optional.empty();
    }
    if (st.awaitsDecision()) {
      Instant deadline = st.completedAt().orElse(plan.now()).plus(plan.app().progressDeadline());
      plan.wakeAt(deadline);
      String msg = what + " is inconclusive: " + st.message() + ". Revision " + warm.revision()
          + " stays warm; annotate " + Commands.PROMOTE + " to accept it once, or traffic "
          + "switches back at " + deadline + ".";
      if (st.decidedNow()) {
        plan.event(PlannedEvent.warning("AnalysisInconclusive", msg));
      }
      plan.dropConditions(t -> t.equals(BlueGreenPlanner.PAUSED)
          || t.equals(BlueGreenPlanner.PROGRESSING));
      plan.condition(BlueGreenPlanner.PAUSED, true, "AnalysisInconclusive", msg);
      plan.condition(BlueGreenPlanner.PROGRESSING, true, "AnalysisInconclusive", msg);
      return Optional.of(Phase.Paused);
    }
    String msg = what + " runs; revision " + warm.revision() + " stays warm until its "
        + "verdict, so a failure switches back at once.";
    plan.dropConditions(BlueGreenPlanner.PROGRESSING::equals);
    plan.condition(BlueGreenPlanner.PROGRESSING, true, "AnalysisRunning", msg);
    return Optional.of(Phase.Progressing);
  }

  /** The post-promotion analysis of the live version, if one runs or ran in this window. */
  static Optional<PostPromotion> of(Snapshot s, AnalysisGate gate) {
    Optional<AnalysisSpec> spec = s.analysis().postPromotion();
    if (spec.isEmpty() || s.recordedPin().isPresent() || s.commands().undo().isPresent()) {
      return Optional.empty();
    }
    Optional<String> live = s.activeHash().filter(s.versions()::containsKey)
        .filter(h -> h.equals(s.specTarget().hash()));
    if (live.isEmpty()) {
      return Optional.empty();
    }
    int replicas = s.app().replicas();
    Optional<VersionState> warm = s.versions().values().stream()
        .filter(v -> !v.hash().equals(live.get()) && v.bookkeeping().served()
            && v.bookkeeping().aborted().isEmpty() && v.isAvailableAt(replicas))
        // The one that served last: switched to most recently (a version switched back from
        // may still be warm too).
        .max(Comparator.comparing((VersionState v) -> v.bookkeeping().promotedAt()
            .orElse(Instant.EPOCH)).thenComparingInt(VersionState::revision));
    if (warm.isEmpty()) {
      return Optional.empty();
    }
    int rev = s.revisionOf(live.get());
    RunKey key = new RunKey(rev, gate.attempt(rev, false), RunKey.POST_PROMOTION);
    AnalysisVariables vars = new AnalysisVariables(s.app().name(), s.app().namespace(), rev,
        live.get(), warm.get().hash(), DesiredObjects.activeServiceName(s.app().name()),
        DesiredObjects.previewServiceName(s.app().name()), s.app().servicePort(), s.app().name(),
        100, 0);
    AnalysisGate.State st = gate.run(key, spec.get(), vars);
    boolean accepted = st.awaitsDecision() && s.commands().promote();
    if (accepted) {
      gate.override(key);
    }
    boolean expired = st.awaitsDecision() && !accepted && !s.now().isBefore(st.completedAt()
        .orElse(s.now()).plus(s.app().progressDeadline()));
    return Optional.of(new PostPromotion(key, st, warm.get(),
        st.phase() == AnalysisPhase.Failed || expired, accepted));
  }
}
