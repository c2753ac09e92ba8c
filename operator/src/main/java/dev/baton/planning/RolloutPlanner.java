package dev.baton.planning;

import dev.baton.api.v1alpha1.Phase;
import dev.baton.planning.Plan.ConditionState;
import dev.baton.planning.Plan.Outcome;
import java.util.List;
import java.util.Optional;

/**
 * The planner's entry point, a pure function from a {@link Snapshot} to a {@link Plan}: a spec that
 * cannot be acted on gets a plan that holds every child as it is; otherwise the target revision is
 * resolved (the spec's template, or an earlier one during an undo) and the app's strategy plans the
 * rollout towards it: {@link RollingPlanner} for the rolling strategy (one Deployment),
 * {@link BlueGreenPlanner} for blue/green, stepped blue/green and canary (two Deployments).
 */
public final class RolloutPlanner {

  private final BlueGreenPlanner twoDeployments = new BlueGreenPlanner();
  private final RollingPlanner rolling = new RollingPlanner();

  /** Plans one reconcile. */
  public Plan plan(Snapshot s) {
    if (s.invalidSpec().isPresent()) {
      return invalid(s, s.invalidSpec().get());
    }
    Optional<Integer> liveRevision = s.activeHash().filter(s.versions()::containsKey)
        .map(s::revisionOf);
    AnalysisGate gate = new AnalysisGate(s.analysis(), s.now());
    // A failed post-promotion analysis switches back through the undo path: to the warm
    // previous version, pinned until spec.template changes.
    Optional<PostPromotion> post = s.app().strategy() == AppSettings.Strategy.BLUE_GREEN
        ? PostPromotion.of(s, gate) : Optional.empty();
    Optional<String> undo = s.commands().undo();
    if (post.filter(PostPromotion::switchBack).isPresent()) {
      undo = Optional.of(Integer.toString(post.get().warm().revision()));
    }
    TargetResolver.Resolution resolution = TargetResolver.resolve(s.specTarget(), s.stored(),
        s.recordedPin(), undo, liveRevision);
    Plan plan = s.app().strategy() == AppSettings.Strategy.ROLLING
        ? rolling.plan(s, resolution) : twoDeployments.plan(s, resolution, gate, post);
    if (post.filter(PostPromotion::switchBack).isPresent()) {
      PostPromotion p = post.get();
      List<PlannedEvent> events = new java.util.ArrayList<>(plan.events());
      events.add(0, PlannedEvent.warning(p.state().phase() == dev.baton.api.v1alpha1.AnalysisPhase
          .Failed ? "AnalysisFailed" : "AnalysisInconclusive", "Revision " + p.key().revision()
          + ": post-promotion analysis " + (p.state().phase()
              == dev.baton.api.v1alpha1.AnalysisPhase.Failed ? "failed: " : "inconclusive and "
              + "not accepted by a promote within the progress deadline: ") + p.state().message()
          + ". Switching back to warm revision " + p.warm().revision() + "."));
      plan = plan.with(events, plan.requeueAfter());
    }
    // Whatever the strategy decided, a provider switch in progress needs another look: its next
    // step (deleting the old provider's objects) waits on a read-back or a handover time that no
    // event announces.
    return TrafficPlan.removalWait(s).map(plan::lookingAgainWithin).orElse(plan);
  }

  private static Plan invalid(Snapshot s, String why) {
    Optional<String> live = s.activeHash().filter(s.versions()::containsKey);
    Outcome outcome = new Outcome(
        Phase.Degraded,
        "Invalid spec: " + why + ". The live version keeps running unchanged.",
        List.of(new ConditionState(BlueGreenPlanner.INVALID_SPEC, true, "InvalidSpec", why),
            new ConditionState(BlueGreenPlanner.DEGRADED, true, "InvalidSpec", why)),
        live, Optional.empty(), Optional.empty(), Optional.empty(), null);
    return new Plan(true, s.specTarget(), s.recordedPin(), List.of(), List.of(), List.of(),
        List.of(), live, live, outcome,
        // One Event per problem, not one per reconcile.
        s.reportedInvalidSpec().filter(why::equals).isPresent()
            ? List.of() : List.of(PlannedEvent.warning("InvalidSpec", why)),
        Optional.empty(), false, false,
        new TrafficPlan(s.traffic().servable(s.traffic().weight().orElse(0)), s.traffic().wide(),
            java.util.Set.of(),
            Optional.empty(), BlueGreenPlanner.reportedWeight(s)));
  }
}
