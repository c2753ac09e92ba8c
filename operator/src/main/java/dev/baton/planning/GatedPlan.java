package dev.baton.planning;

import dev.baton.api.v1alpha1.Phase;
import dev.baton.planning.Plan.ConditionState;
import dev.baton.planning.Plan.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A strategy's plan as the migration gate changes it: the target held at zero (without its
 * timers), aborted because its expand failed, or reporting its migrations; everything else as the
 * strategy decided.
 */
final class GatedPlan {

  private final Snapshot s;
  private final boolean rolling;
  private Plan plan;
  private Instant wakeAt;

  GatedPlan(Snapshot s, Plan plan) {
    this.s = s;
    this.plan = plan;
    this.rolling = s.app().strategy() == AppSettings.Strategy.ROLLING;
  }

  Plan plan() {
    return plan;
  }

  /** Look again at {@code t} at the latest (the plan's own time, if earlier, stays). */
  void wakeAt(Instant t) {
    wakeAt = t;
  }

  /**
   * Keeps the target (its Deployment under {@code key}) at zero; reports why unless the strategy
   * reports a pause ({@code reason} null: the strategy's outcome stays).
   */
  void hold(String target, String key, Phase phase, String message, String reason,
      boolean progressing) {
    List<DesiredVersion> versions = new ArrayList<>();
    for (DesiredVersion v : plan.versions()) {
      if (v.hash().equals(key)) {
        // No timer runs and nothing counts as served while the gate holds.
        Bookkeeping ann = v.bookkeeping().withPromotedAt(Optional.empty())
            .withProgressSince(Optional.empty()).withReadySince(Optional.empty())
            .withPromoting(false);
        int size = 0;
        String current = RollingRevisions.template(s);
        if (rolling && current != null && !current.equals(target)) {
          // The rolling Deployment keeps serving its template until expand has succeeded.
          ann = ann.withTemplateHash(current);
          size = v.replicas();
        }
        v = new DesiredVersion(v.hash(), v.revision(), size, ann, v.restartedAt());
      }
      versions.add(v);
    }
    Outcome out = plan.outcome();
    if (reason != null && out.phase() != Phase.Paused) {
      List<ConditionState> conditions = new ArrayList<>(out.conditions());
      conditions.removeIf(c -> c.type().equals(BlueGreenPlanner.PROGRESSING)
          || c.type().equals(BlueGreenPlanner.DEGRADED));
      conditions.add(new ConditionState(BlueGreenPlanner.PROGRESSING, progressing, reason,
          message));
      conditions.add(new ConditionState(BlueGreenPlanner.DEGRADED, !progressing,
          progressing ? "Progressing" : reason, message));
      out = new Outcome(phase, message, conditions, out.liveHash(), out.previewHash(),
          out.promotedHash(), out.abortedHash(), out.abortReason());
    }
    plan = copy(versions, plan.previewHash(), out, plan.events());
  }

  /**
   * A failed expand: the target goes to zero with the abort bookkeeping (the rolling Deployment
   * stays on, or goes back to, the template that serves); the live version serves.
   *
   * @param events where the abort's Event goes
   */
  void abort(String target, String key, String why, List<PlannedEvent> events) {
    String live = plan.outcome().liveHash().orElseThrow();
    List<DesiredVersion> versions = new ArrayList<>();
    for (DesiredVersion v : plan.versions()) {
      if (v.hash().equals(key)) {
        Bookkeeping ann = Bookkeeping.NONE.withAborted(MigrationPlanner.MIGRATION_FAILED, why,
            s.now());
        int size = 0;
        if (rolling) {
          Bookkeeping kept = v.bookkeeping();
          ann = ann.withStableHash(kept.stableHash()).withPromotedAt(kept.promotedAt())
              .withPaused(kept.paused())
              .withTemplateHash(kept.stableHash()
                  .or(() -> Optional.ofNullable(RollingRevisions.template(s))))
              .withAbortedHash(target);
          size = v.replicas();
        }
        v = new DesiredVersion(v.hash(), v.revision(), size, ann, v.restartedAt());
      }
      versions.add(v);
    }
    String serves = "Revision " + s.revisionOf(live) + " serves";
    RolloutAbort.Report r = RolloutAbort.of(MigrationPlanner.MIGRATION_FAILED, why, serves,
        s.revisionOf(live), true);
    Outcome out = plan.outcome();
    events.add(PlannedEvent.warning("RolloutAborted", why + " " + serves + " on."));
    plan = copy(versions, rolling ? plan.previewHash() : Optional.of(live),
        new Outcome(r.phase(), r.message(), r.conditions(), out.liveHash(), out.previewHash(),
            Optional.empty(), Optional.of(target), MigrationPlanner.MIGRATION_FAILED),
        plan.events());
  }

  /** Sets (or replaces) the condition reporting the target's migrations. */
  void migrated(ConditionState c) {
    Outcome out = plan.outcome();
    List<ConditionState> conditions = new ArrayList<>(out.conditions());
    conditions.removeIf(x -> x.type().equals(c.type()));
    conditions.add(c);
    plan = copy(plan.versions(), plan.previewHash(), new Outcome(out.phase(), out.message(),
        conditions, out.liveHash(), out.previewHash(), out.promotedHash(), out.abortedHash(),
        out.abortReason()), plan.events());
  }

  /** Adds the gate's Events after the strategy's. */
  void addEvents(List<PlannedEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    List<PlannedEvent> all = new ArrayList<>(plan.events());
    all.addAll(events);
    plan = copy(plan.versions(), plan.previewHash(), plan.outcome(), all);
  }

  private Plan copy(List<DesiredVersion> versions, Optional<String> previewHash, Outcome outcome,
      List<PlannedEvent> allEvents) {
    Optional<Duration> requeue = plan.requeueAfter();
    if (wakeAt != null) {
      Duration d = Duration.between(s.now(), wakeAt);
      if (requeue.isEmpty() || d.compareTo(requeue.get()) < 0) {
        requeue = Optional.of(d);
      }
    }
    return new Plan(plan.holdChildren(), plan.target(), plan.pin(), plan.storeRevisions(),
        plan.deleteRevisions(), versions, plan.deleteVersions(), plan.activeHash(), previewHash,
        outcome, allEvents, requeue, plan.consumeCommands(), plan.consumeUndo(), plan.traffic(),
        plan.analysis());
  }
}
