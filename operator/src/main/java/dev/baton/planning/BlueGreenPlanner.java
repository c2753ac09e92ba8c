package dev.baton.planning;

import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.api.v1alpha1.Phase;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Decides a rollout of the two-Deployment strategies: a pure function from a {@link Snapshot} (and
 * the target {@link RolloutPlanner} resolved) to a {@link Plan}. Blue/green, stepped blue/green and
 * canary share the model planned here: this class decides the steady state and what retires, the
 * {@link BlueGreenRollout} the rollout of a new version beside the live one, the last two
 * strategies through one {@link StepMachine} (size the new version, wait for its pods, set the
 * weight, read it back, hold, move on; see {@link CanaryArithmetic}). The {@link PlanBuilder}
 * collects what they decide.
 *
 * <p>Which version is live is never stored: it is the hash the active Service selects. A rollout
 * of target revision T while L is live goes through:
 *
 * <ol>
 *   <li><b>preview</b>: T runs at {@code previewReplicas}, the preview Service selects it;
 *   <li><b>ready</b>: every preview pod is available; wait {@code promotionDelay} (auto) or for a
 *       promote command (manual);
 *   <li><b>promoting</b>: T is scaled to {@code replicas} (never switch to a smaller version);
 *   <li><b>switch</b>: once T is available at full size, the active Service selects T (one write);
 *   <li><b>retire</b>: once the switch is seen in the cache, L keeps its size until
 *       {@code scaleDownDelay} has passed (rollback is instant meanwhile), then goes to zero.
 * </ol>
 *
 * The progress deadline counts from when T's current target size was set; if T is not available
 * by then, T is aborted (scaled to zero) and L, which was never scaled down, keeps serving. Every
 * time-dependent state is T's {@link Bookkeeping} (recorded in status), so a restarted operator
 * resumes from the cluster alone. With traffic steps, the switch waits for the last step; with an
 * ingress provider, L retires only once the weight is read back at 0.
 */
public final class BlueGreenPlanner {

  /** Condition types Baton sets. */
  public static final String AVAILABLE = "Available";
  public static final String PROGRESSING = "Progressing";
  public static final String PAUSED = "Paused";
  public static final String DEGRADED = "Degraded";
  public static final String INVALID_SPEC = "InvalidSpec";

  /** How soon to look again while waiting for the ingress to confirm a weight. */
  static final Duration SETTLE_POLL = Duration.ofSeconds(2);

  static final String PAUSED_BY = "Paused (spec.paused or the " + Commands.PAUSED
      + " annotation).";

  /** Plans one reconcile of a blue/green or canary app towards the resolved target. */
  Plan plan(Snapshot s, TargetResolver.Resolution resolution) {
    return plan(s, resolution, new AnalysisGate(s.analysis(), s.now()), Optional.empty());
  }

  /**
   * As {@link #plan(Snapshot, TargetResolver.Resolution)}, with the pass' analysis runs and the
   * post-promotion analysis of the live version, if one runs.
   */
  Plan plan(Snapshot s, TargetResolver.Resolution resolution, AnalysisGate gate,
      Optional<PostPromotion> post) {
    return new Planning(s, resolution, gate, post).run();
  }

  /** The new version's share of traffic as read back: from the ingress, or by pod share. */
  static int reportedWeight(Snapshot s) {
    if (s.app().provider() != IngressSpec.Provider.none) {
      return s.traffic().weight().orElse(0);
    }
    if (!s.traffic().wide()) {
      return 0;
    }
    Optional<String> live = s.activeHash();
    int stable = 0;
    int canary = 0;
    for (VersionState v : s.versions().values()) {
      if (live.isPresent() && live.get().equals(v.hash())) {
        stable += v.readyReplicas();
      } else {
        canary += v.readyReplicas();
      }
    }
    return CanaryArithmetic.podShare(stable, canary);
  }

  /** One planning pass. */
  private static final class Planning {
    private final Snapshot s;
    private final AppSettings app;
    private final PlanBuilder plan;
    private final AnalysisGate gate;
    private final Optional<PostPromotion> post;

    Planning(Snapshot s, TargetResolver.Resolution resolution, AnalysisGate gate,
        Optional<PostPromotion> post) {
      this.s = s;
      this.app = s.app();
      this.plan = new PlanBuilder(s, resolution);
      this.gate = gate;
      this.post = post;
      // By default the weight and span stay what the traffic objects hold now.
      plan.carryTraffic();
    }

    Plan run() {
      String target = plan.target();
      Optional<String> live = s.activeHash().filter(s.versions()::containsKey);
      if (live.isEmpty()) {
        live = bestServingVersion();
      }
      Phase phase;
      String message;
      String active;
      String preview;
      Optional<String> previewOutcome = Optional.empty();

      if (live.isEmpty() || live.get().equals(target)) {
        // Steady state (or first deploy): the target is the live version, and all traffic with it.
        plan.allTrafficToActive();
        active = target;
        preview = target;
        Rollout r = steady(target, live.isEmpty());
        phase = r.phase();
        message = r.message();
      } else {
        // A rollout: the live version keeps its full size throughout.
        String l = live.get();
        keepLive(l, s.versions().get(l), false);
        active = l;
        Rollout r = new BlueGreenRollout(plan, gate).rolloutWithTrafficCarriedOver(l, target);
        phase = r.phase();
        message = r.message();
        preview = r.previewSelectsTarget() ? target : l;
        if (r.switched()) {
          active = target;
        }
        previewOutcome = r.switched() ? Optional.empty() : Optional.of(target);
      }

      String serving = active;
      boolean spanning = app.provider() == IngressSpec.Provider.none
          && app.strategy() == AppSettings.Strategy.CANARY && !active.equals(target);
      RollbackWindow.retireOthers(plan, v -> held(v, spanning));
      // Before the versions are listed: a Deployment that goes is not also written first.
      plan.deleteRetired(h -> h.equals(serving) || h.equals(target));
      gate.wakeUp().ifPresent(plan::wakeAt);
      return plan.build(phase, message, active, preview, active, previewOutcome,
          reportedWeight(s), gate.plan());
    }

    /** The target serves (or is deployed for the first time): how it stands. */
    private Rollout steady(String target, boolean firstDeploy) {
      VersionState tv = s.versions().get(target);
      keepLive(target, tv, firstDeploy);
      boolean settling = tv == null || !tv.rolledOut() || tv.specReplicas() != app.replicas();
      int available = tv == null ? 0 : tv.servingReplicas();
      int rev = plan.rev(target);
      Phase phase;
      String message;
      if (available >= app.replicas() && !settling) {
        phase = Phase.Healthy;
        message = "Revision " + rev + " serves with " + available + "/" + app.replicas()
            + " pods available.";
        plan.condition(AVAILABLE, true, "AllReplicasAvailable", message);
        plan.condition(PROGRESSING, true, "RolloutComplete", message);
        plan.condition(DEGRADED, false, "Healthy", message);
      } else if (firstDeploy || settling) {
        phase = Phase.Progressing;
        message = "Revision " + rev + " has " + available + "/" + app.replicas()
            + " pods available." + problems(tv);
        plan.condition(AVAILABLE, available >= app.replicas() && available > 0, "ScalingUp",
            message);
        plan.condition(PROGRESSING, true, "ReplicaSetUpdated", message);
        plan.condition(DEGRADED, false, "Progressing", message);
      } else {
        phase = Phase.Degraded;
        message = "The live revision " + rev + " has only " + available + "/" + app.replicas()
            + " pods available." + problems(tv);
        plan.condition(AVAILABLE, false, "ReplicasUnavailable", message);
        plan.condition(PROGRESSING, true, "RolloutComplete", message);
        plan.condition(DEGRADED, true, "ReplicasUnavailable", message);
      }
      boolean paused = plan.paused();
      plan.condition(PAUSED, paused, paused ? "Paused" : "Running",
          paused ? PAUSED_BY : "Not paused.");
      if (post.isPresent() && post.get().key().revision() == rev) {
        Optional<Phase> p = post.get().report(plan, rev);
        if (p.isPresent()) {
          phase = p.get();
          message = plan.conditionMessage(PROGRESSING).orElse(message);
        }
      }
      return new Rollout(phase, message, true, false);
    }

    /** Keeps the serving version at full size, announcing a first deploy. */
    private void keepLive(String hash, VersionState state, boolean firstDeploy) {
      if (state == null && firstDeploy) {
        plan.event(PlannedEvent.normal("Deploying", "Deploying revision " + plan.rev(hash)
            + " with " + app.replicas() + " pods."));
      }
      keepServing(plan, hash, state);
    }

    /**
     * The size a version neither live nor the target is held at instead of retiring, if any:
     * warm while the live version's post-promotion analysis runs (a failure switches back to it);
     * as it is while the ingress may still send it traffic (until the read-back); zero at once
     * for a canary by pod share, whose spanning Service must pick up no third version.
     */
    private OptionalInt held(VersionState v, boolean spanning) {
      if (post.filter(p -> p.holdsWarm() && p.warm().hash().equals(v.hash())).isPresent()) {
        return OptionalInt.of(v.specReplicas());
      }
      if (!plan.trafficReadBack() && v.specReplicas() > 0) {
        plan.wakeAt(plan.now().plus(SETTLE_POLL));
        return OptionalInt.of(v.specReplicas());
      }
      return spanning ? OptionalInt.of(0) : OptionalInt.empty();
    }

    /** With no active Service, the newest version that is fully available may serve. */
    private Optional<String> bestServingVersion() {
      return s.versions().values().stream()
          .filter(v -> v.isAvailableAt(app.replicas()) && v.bookkeeping().served())
          .max(Comparator.comparingInt(VersionState::revision))
          .map(VersionState::hash);
    }
  }

  /**
   * Keeps a serving per-revision version at full size and clears the rollout bookkeeping it
   * carried: only its revision and when it began to serve stay.
   */
  static void keepServing(PlanBuilder plan, String hash, VersionState state) {
    Bookkeeping b = Bookkeeping.NONE.withPromotedAt(Optional.ofNullable(state)
        .flatMap(v -> v.bookkeeping().promotedAt()).orElse(plan.now()));
    plan.keep(hash, plan.rev(hash), plan.app().replicas(), b);
  }

  /** Why pods of a version are not ready, as a sentence to append (or nothing). */
  static String problems(VersionState v) {
    return v == null || v.podProblems() == null || v.podProblems().isEmpty()
        ? "" : " " + v.podProblems();
  }
}
