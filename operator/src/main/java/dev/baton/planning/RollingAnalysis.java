package dev.baton.planning;

import dev.baton.analysis.AnalysisVariables;
import dev.baton.analysis.RunKey;
import dev.baton.api.v1alpha1.AnalysisPhase;
import dev.baton.api.v1alpha1.AnalysisSpec;
import java.time.Instant;
import java.util.Optional;

/**
 * The rolling strategy's analysis ({@code spec.strategy.rolling.analysis}), pure: one run per
 * attempt at a revision, from the first reconcile after its template is written until its
 * verdict. The revision becomes the stable one only once the run passed, so a rollout whose last
 * pod is updated still waits for it (a timer never passes analysis). The run is keyed like a
 * canary's background run ({@link RunKey#BACKGROUND}) under the target's revision and attempt.
 *
 * <p>Its variables name the app's one route as the canary's Service: the rolling Deployment has
 * no separate preview traffic, so the built-in checks measure the requests the app serves (old
 * and new pods while they mix, only new ones once rolled out).
 */
final class RollingAnalysis {

  /** Where the run stands, for the rolling planner. */
  enum Standing {
    /** No analysis, or it passed (or a promote accepted it): the rollout may complete. */
    PASSED,
    /** Measuring: the rollout may go on rolling pods, but not complete. */
    RUNNING,
    /** Failed: abort. */
    FAILED,
    /** Inconclusive and not accepted: hold where it is. */
    HELD
  }

  /**
   * The run's standing and what it says.
   *
   * @param message the deciding metric, its value and threshold (failed or held)
   * @param decidedAt when the verdict was given (the inconclusive hold's deadline counts from it)
   */
  record Verdict(Standing standing, String message, Optional<Instant> decidedAt) {}

  private final PlanBuilder plan;
  private final AnalysisGate gate;
  private final Optional<AnalysisSpec> spec;

  RollingAnalysis(PlanBuilder plan, AnalysisGate gate) {
    this.plan = plan;
    this.gate = gate;
    this.spec = plan.snapshot().analysis().rolling();
  }

  /** True when the app has a rolling analysis. */
  boolean configured() {
    return spec.isPresent();
  }

  /**
   * The attempt of a rollout of {@code rev}: the one recorded for its template while it rolls;
   * else one more than any attempt status still keeps for that revision (a retry, or the spec
   * coming back to a revision analysed before), so no earlier verdict is reused.
   *
   * @param inFlight the attempt recorded with the rolling Deployment for this target, if any
   */
  int attempt(int rev, Optional<Integer> inFlight, boolean retried) {
    int recorded = plan.snapshot().analysis().recorded().stream()
        .filter(r -> r.revision != null && r.revision == rev && r.attempt != null)
        .mapToInt(r -> r.attempt).max().orElse(0);
    if (inFlight.isPresent() && !retried) {
      return Math.max(inFlight.get(), 1);
    }
    return recorded + 1;
  }

  /**
   * The run of revision {@code rev} at {@code attempt} over the stable revision; a promote
   * accepts an inconclusive verdict once (recorded, with an Event).
   */
  Verdict run(String target, String stable, int rev, int attempt) {
    if (spec.isEmpty()) {
      return new Verdict(Standing.PASSED, "", Optional.empty());
    }
    RunKey key = new RunKey(rev, attempt, RunKey.BACKGROUND);
    AnalysisGate.State st = gate.run(key, spec.get(), variables(target, stable, rev));
    if (st.awaitsDecision() && plan.snapshot().commands().promote()) {
      gate.override(key);
      plan.event(PlannedEvent.normal("AnalysisOverridden", "Revision " + rev + ": the "
          + "inconclusive analysis was accepted by a promote."));
      return new Verdict(Standing.PASSED, st.message(), st.completedAt());
    }
    if (st.phase() == AnalysisPhase.Failed) {
      String msg = "Revision " + rev + ": analysis failed: " + st.message() + ".";
      plan.event(PlannedEvent.warning("AnalysisFailed", msg));
      return new Verdict(Standing.FAILED, msg, st.completedAt());
    }
    if (st.awaitsDecision()) {
      String msg = "Revision " + rev + ": analysis is inconclusive: " + st.message() + ".";
      if (st.decidedNow()) {
        plan.event(PlannedEvent.warning("AnalysisInconclusive", msg + " The Deployment is "
            + "paused; annotate " + Commands.PROMOTE + " (or run `kubectl baton promote`) to "
            + "accept it once, or abort."));
      }
      return new Verdict(Standing.HELD, msg, st.completedAt());
    }
    if (st.passed()) {
      if (st.decidedNow()) {
        plan.event(PlannedEvent.normal("AnalysisPassed", "Revision " + rev + ": "
            + st.message() + "."));
      }
      return new Verdict(Standing.PASSED, st.message(), st.completedAt());
    }
    return new Verdict(Standing.RUNNING, st.message(), Optional.empty());
  }

  /** What this pass decided about the run, for the plan (and when to look again). */
  AnalysisPlan plan() {
    gate.wakeUp().ifPresent(plan::wakeAt);
    return gate.plan();
  }

  private AnalysisVariables variables(String target, String stable, int rev) {
    AppSettings app = plan.app();
    String route = DesiredObjects.activeServiceName(app.name());
    return new AnalysisVariables(app.name(), app.namespace(), rev, target,
        stable == null ? target : stable, route, route, app.servicePort(), app.name(), 0, 0);
  }
}
