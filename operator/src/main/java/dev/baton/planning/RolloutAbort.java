package dev.baton.planning;

import dev.baton.api.v1alpha1.Phase;
import dev.baton.planning.Plan.ConditionState;
import java.util.List;

/**
 * The abort of a rollout, the same for every strategy: why it was aborted goes into the target's
 * bookkeeping (kept until a retry or a new revision) and into the outcome, a warning Event says
 * what keeps serving, and the conditions say the rollout stopped. Where the pods go is the
 * strategy's part (blue/green drains the new version, rolling writes the stable template back).
 */
final class RolloutAbort {

  /** The reason of an abort asked for by the user: reported as Aborted, not Degraded. */
  static final String BY_USER = "AbortedByUser";

  /**
   * What an aborted rollout reports.
   *
   * @param phase Aborted (asked for) or Degraded
   * @param message what happened and what serves
   * @param conditions the conditions to set instead of the ones the pass set so far
   */
  record Report(Phase phase, String message, List<ConditionState> conditions) {}

  private RolloutAbort() {}

  /**
   * Aborts the rollout of {@code target} now.
   *
   * @param bookkeeping the target's bookkeeping
   * @param aftermath what happens to traffic, for the Event
   * @return the bookkeeping with the abort's reason, message and time
   */
  static Bookkeeping decide(PlanBuilder plan, Bookkeeping bookkeeping, String target,
      String reason, String message, String aftermath) {
    plan.aborted(target, reason);
    plan.event(PlannedEvent.warning("RolloutAborted", message + " " + aftermath));
    return bookkeeping.withAborted(reason, message, plan.now());
  }

  /**
   * Reports an aborted rollout (aborted now or before) in the plan being built: no other
   * condition this pass set stays.
   *
   * @param serving the sentence on what serves, e.g. {@code Revision 3 serves}
   * @param servingRevision the revision that serves
   * @param available whether it has every pod available
   */
  static Report report(PlanBuilder plan, String reason, String message, String serving,
      int servingRevision, boolean available) {
    Report r = of(reason, message, serving, servingRevision, available);
    plan.dropConditions(type -> !type.equals(BlueGreenPlanner.INVALID_SPEC));
    r.conditions().forEach(c -> plan.condition(c.type(), c.status(), c.reason(), c.message()));
    return r;
  }

  /** The conditions and phase of an aborted rollout, as {@link #report} sets them. */
  static Report of(String reason, String message, String serving, int servingRevision,
      boolean available) {
    boolean byUser = BY_USER.equals(reason);
    String msg = message + " " + serving + "; change the spec or annotate " + Commands.RETRY
        + " to try again.";
    List<ConditionState> conditions = List.of(
        new ConditionState(BlueGreenPlanner.AVAILABLE, available,
            available ? "AllReplicasAvailable" : "ReplicasUnavailable",
            "Revision " + servingRevision + " serves."),
        new ConditionState(BlueGreenPlanner.PROGRESSING, false, reason, msg),
        new ConditionState(BlueGreenPlanner.DEGRADED, !byUser, reason, msg),
        new ConditionState(BlueGreenPlanner.PAUSED, false, "Running", "Not paused."));
    return new Report(byUser ? Phase.Aborted : Phase.Degraded, msg, conditions);
  }
}
