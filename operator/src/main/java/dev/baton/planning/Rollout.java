package dev.baton.planning;

import dev.baton.api.v1alpha1.Phase;

/**
 * Where a rollout of a two-Deployment strategy (blue/green, stepped blue/green, canary) stands
 * after one pass.
 *
 * @param phase the phase to report
 * @param message what Baton does or waits for
 * @param previewSelectsTarget the preview Service selects the target (else the live version)
 * @param switched this pass moved the active Service to the target
 */
record Rollout(Phase phase, String message, boolean previewSelectsTarget, boolean switched) {

  /** The rollout goes on: Progressing, not Degraded, for this reason. */
  static Rollout progressing(PlanBuilder plan, String msg, String reason) {
    plan.condition(BlueGreenPlanner.PROGRESSING, true, reason, msg);
    plan.condition(BlueGreenPlanner.DEGRADED, false, "Progressing", msg);
    return new Rollout(Phase.Progressing, msg, true, false);
  }

  /** The rollout holds until a decision (a promote): Paused, for this reason. */
  static Rollout waiting(PlanBuilder plan, String msg, String reason) {
    plan.dropConditions(BlueGreenPlanner.PAUSED::equals);
    plan.condition(BlueGreenPlanner.PAUSED, true, reason, msg);
    plan.condition(BlueGreenPlanner.PROGRESSING, true, reason, msg);
    plan.condition(BlueGreenPlanner.DEGRADED, false, "Progressing", msg);
    return new Rollout(Phase.Paused, msg, true, false);
  }
}
