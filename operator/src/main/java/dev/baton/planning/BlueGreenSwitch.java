package dev.baton.planning;

import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.api.v1alpha1.Phase;

/**
 * The two ways a two-Deployment rollout ends: the switch (the active Service selects the target,
 * all traffic with it, in one write) and the abort (all traffic back on the live version in one
 * write, the target's pods go once that is read back). Shared by the blue/green flow and the step
 * machine.
 */
final class BlueGreenSwitch {

  private BlueGreenSwitch() {}

  /** Switches traffic to {@code target}, at full size, and reports it with this reason. */
  static Rollout switchTo(PlanBuilder plan, String target, String reason, String message) {
    int rev = plan.rev(target);
    // Exactly what keepServing records for a live version, so the next reconcile has nothing to
    // clear: the rollout's timers and step go in this one write.
    plan.keep(target, rev, plan.app().replicas(), Bookkeeping.NONE.withPromotedAt(plan.now()));
    plan.promoted(target);
    // Both Services select the target now; the ingress weight goes back to the active Service.
    plan.allTrafficToActive();
    plan.event(PlannedEvent.normal(reason, message));
    plan.condition(BlueGreenPlanner.PROGRESSING, true, reason, message);
    plan.condition(BlueGreenPlanner.DEGRADED, false, reason, message);
    return new Rollout(Phase.Progressing, message, true, true);
  }

  /** Aborts the rollout of {@code target}: traffic back to {@code live} in one write. */
  static Rollout abort(PlanBuilder plan, String live, String target, Bookkeeping b,
      String reason, String message) {
    Bookkeeping ann = RolloutAbort.decide(plan, b, target, reason, message, "Revision "
        + plan.rev(live) + " keeps serving.");
    // Traffic back to the live version in one write; the pods go once that is read back.
    plan.keep(target, plan.rev(target), drainedSize(plan, plan.snapshot().versions().get(target)),
        ann);
    plan.allTrafficToActive();
    return aborted(plan, live, reason, message);
  }

  /** What an aborted rollout reports while {@code live} serves. */
  static Rollout aborted(PlanBuilder plan, String live, String reason, String message) {
    RolloutAbort.Report r = RolloutAbort.report(plan, reason, message, "Revision "
        + plan.rev(live) + " serves", plan.rev(live), true);
    return new Rollout(r.phase(), r.message(), false, false);
  }

  /** Size of an aborted version: kept while traffic may still reach it, then zero. */
  static int drainedSize(PlanBuilder plan, VersionState v) {
    if (v == null) {
      return 0;
    }
    Snapshot s = plan.snapshot();
    boolean reachable = s.app().provider() == IngressSpec.Provider.none
        ? s.traffic().wide() : s.traffic().weight().filter(w -> w > 0).isPresent();
    if (reachable) {
      plan.wakeAt(plan.now().plus(BlueGreenPlanner.SETTLE_POLL));
      return v.specReplicas();
    }
    return 0;
  }
}
