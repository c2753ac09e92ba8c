package dev.baton.planning;

import dev.baton.analysis.AnalysisRunStatuses;
import dev.baton.analysis.AnalysisVariables;
import dev.baton.analysis.RunKey;
import dev.baton.api.v1alpha1.AnalysisPhase;
import dev.baton.api.v1alpha1.AnalysisRunStatus;
import dev.baton.api.v1alpha1.AnalysisSpec;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.planning.Plan.ConditionState;
import dev.baton.planning.Plan.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides a rollout of the two-Deployment strategies: a pure function from a {@link Snapshot} (and
 * the target {@link RolloutPlanner} resolved) to a {@link Plan}. Blue/green, stepped blue/green and
 * canary share the model planned here, the last two through one step machine ({@code stepped}:
 * size the new version, wait for its pods, set the weight, read it back, hold, move on; see
 * {@link CanaryArithmetic}).
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
 * time-dependent state is an annotation on T's Deployment, so a restarted operator resumes from the
 * cluster alone. With traffic steps, the switch waits for the last step; with an ingress provider,
 * L retires only once the weight is read back at 0.
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

  private static final String PAUSED_BY = "Paused (spec.paused or the " + Commands.PAUSED
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
    if (s.app().provider() != dev.baton.api.v1alpha1.IngressSpec.Provider.none) {
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

  /** The working state of one planning pass. */
  private static final class Planning {
    private final Snapshot s;
    private final TargetResolver.Resolution resolution;
    private final AppSettings app;
    private final Instant now;
    private final Map<String, DesiredVersion> desired = new HashMap<>();
    private final List<PlannedEvent> events = new ArrayList<>();
    private final List<ConditionState> conditions = new ArrayList<>();
    private Instant wakeUp;
    private Optional<String> promoted = Optional.empty();
    /** Percent of traffic for the preview Service; by default what the ingress holds now. */
    private int weight;
    /** Provider none: whether the active Service spans both versions; by default as it is. */
    private boolean wide;
    private Integer currentStep;
    private Optional<String> aborted = Optional.empty();
    private String abortReason;
    private final AnalysisGate gate;

    private final Optional<PostPromotion> post;

    Planning(Snapshot s, TargetResolver.Resolution resolution, AnalysisGate gate,
        Optional<PostPromotion> post) {
      this.s = s;
      this.resolution = resolution;
      this.app = s.app();
      this.now = s.now();
      this.weight = s.traffic().weight().orElse(0);
      this.wide = s.traffic().wide();
      this.gate = gate;
      this.post = post;
    }

    Plan run() {
      String target = resolution.target().hash();
      resolution.event().ifPresent(events::add);
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
        weight = 0;
        wide = false;
        active = target;
        preview = target;
        VersionState tv = s.versions().get(target);
        keepLive(target, tv, live.isEmpty());
        boolean settling = tv == null || !tv.rolledOut() || tv.specReplicas() != app.replicas();
        int available = tv == null ? 0 : tv.servingReplicas();
        if (available >= app.replicas() && !settling) {
          phase = Phase.Healthy;
          message = "Revision " + revisionOf(target) + " serves with " + available + "/"
              + app.replicas() + " pods available.";
          conditions.add(new ConditionState(AVAILABLE, true, "AllReplicasAvailable", message));
          conditions.add(new ConditionState(PROGRESSING, true, "RolloutComplete", message));
          conditions.add(new ConditionState(DEGRADED, false, "Healthy", message));
        } else if (live.isEmpty() || settling) {
          phase = Phase.Progressing;
          message = "Revision " + revisionOf(target) + " has " + available + "/" + app.replicas()
              + " pods available." + problems(tv);
          conditions.add(new ConditionState(AVAILABLE, available >= app.replicas() && available > 0,
              "ScalingUp", message));
          conditions.add(new ConditionState(PROGRESSING, true, "ReplicaSetUpdated", message));
          conditions.add(new ConditionState(DEGRADED, false, "Progressing", message));
        } else {
          phase = Phase.Degraded;
          message = "The live revision " + revisionOf(target) + " has only " + available + "/"
              + app.replicas() + " pods available." + problems(tv);
          conditions.add(new ConditionState(AVAILABLE, false, "ReplicasUnavailable", message));
          conditions.add(new ConditionState(PROGRESSING, true, "RolloutComplete", message));
          conditions.add(new ConditionState(DEGRADED, true, "ReplicasUnavailable", message));
        }
        conditions.add(new ConditionState(PAUSED, paused(), paused() ? "Paused" : "Running",
            paused() ? PAUSED_BY : "Not paused."));
        if (post.isPresent() && post.get().key().revision() == revisionOf(target)) {
          Optional<Phase> p = postPromotion(post.get(), target);
          if (p.isPresent()) {
            phase = p.get();
            message = conditions.stream().filter(c -> c.type().equals(PROGRESSING))
                .map(ConditionState::message).findFirst().orElse(message);
          }
        }
      } else {
        // A rollout: the live version keeps its full size throughout.
        String l = live.get();
        keepLive(l, s.versions().get(l), false);
        active = l;
        Rollout r = rolloutWithTrafficCarriedOver(l, target);
        phase = r.phase;
        message = r.message;
        preview = r.previewSelectsTarget ? target : l;
        if (r.switched) {
          active = target;
        }
        previewOutcome = r.switched ? Optional.empty() : Optional.of(target);
      }

      retireOthers(active, target);
      // Before the versions are listed: a Deployment that goes is not also written first.
      List<String> deleted = deletions(active, target);
      gate.wakeUp().ifPresent(this::wakeAt);
      RevisionHistory.Changes history = RevisionHistory.plan(s.stored(), resolution.target(),
          revisionOf(target), active, revisionOf(active), app.revisionHistoryLimit());
      return new Plan(
          false,
          resolution.target(),
          resolution.pin(),
          history.store(),
          history.delete(),
          List.copyOf(desired.values()),
          deleted,
          Optional.of(active),
          Optional.of(preview),
          new Outcome(phase, message, conditions, Optional.of(active), previewOutcome, promoted,
              aborted, abortReason),
          events,
          Optional.ofNullable(wakeUp).map(t -> Duration.between(now, t))
              .map(d -> d.isNegative() ? Duration.ZERO : d),
          s.commands().anyOneShot(),
          resolution.consumeUndo(),
          new TrafficPlan(weight, wide, TrafficPlan.removable(s), Optional.ofNullable(currentStep),
              reportedWeight(s)),
          gate.plan());
    }

    /** Keeps the serving version at full size; clears the rollout bookkeeping it carried. */
    private void keepLive(String hash, VersionState state, boolean firstDeploy) {
      Map<String, String> ann = new HashMap<>();
      ann.put(Labels.REVISION, Integer.toString(revisionOf(hash)));
      String promotedAt = state != null ? state.annotations().get(Labels.PROMOTED_AT) : null;
      ann.put(Labels.PROMOTED_AT, promotedAt != null ? promotedAt : now.toString());
      if (state == null && firstDeploy) {
        events.add(PlannedEvent.normal("Deploying", "Deploying revision " + revisionOf(hash)
            + " with " + app.replicas() + " pods."));
      }
      desired.put(hash, new DesiredVersion(hash, revisionOf(hash), app.replicas(), ann,
          s.commands().restart().orElse(null)));
    }

    /** The outcome of the rollout step. */
    private record Rollout(Phase phase, String message, boolean previewSelectsTarget,
        boolean switched) {}

    /**
     * A new target while the ingress (or a spanning Service) still sends part of the traffic to
     * the preview Service, e.g. a new spec in the middle of a canary: the preview Service must not
     * move to the new target's pods before that traffic is back on the live version. Until the
     * weight is read back at 0, the preview Service selects the live version (at full size, so
     * that traffic is served) and the weight goes to 0; the new target starts meanwhile.
     */
    private Rollout rolloutWithTrafficCarriedOver(String live, String target) {
      VersionState tv = s.versions().get(target);
      boolean stepsStarted = tv != null && tv.has(Labels.STEP);
      boolean previewCarriesTraffic = s.traffic().wide()
          || s.traffic().weight().filter(w -> w > 0).isPresent();
      Rollout r = rollout(live, target);
      if (stepsStarted || !previewCarriesTraffic || r.switched()) {
        return r;
      }
      weight = 0;
      wide = false;
      currentStep = null;
      wakeAt(now.plus(SETTLE_POLL));
      return new Rollout(r.phase(), r.message() + " The previous rollout's share of traffic "
          + "goes back to revision " + revisionOf(live) + " first.", false, false);
    }

    private Rollout rollout(String live, String target) {
      VersionState tv = s.versions().get(target);
      int rev = revisionOf(target);
      Commands cmd = s.commands();
      Map<String, String> ann = new HashMap<>();
      ann.put(Labels.REVISION, Integer.toString(rev));

      boolean wasAborted = tv != null && tv.has(Labels.ABORTED);
      if (wasAborted && !cmd.retry()) {
        RollbackWindow.copy(tv, ann, Labels.ABORTED, Labels.ABORTED_MESSAGE, Labels.ABORTED_AT,
            Labels.ATTEMPT);
        desired.put(target, new DesiredVersion(target, rev, drainedSize(tv), ann, restart()));
        weight = 0;
        wide = false;
        return abortedState(live, target, tv.annotations().get(Labels.ABORTED),
            tv.annotations().get(Labels.ABORTED_MESSAGE));
      }
      if (cmd.abort()) {
        return abort(live, target, ann, "AbortedByUser",
            "Rollout of revision " + rev + " aborted by request.");
      }
      if (paused()) {
        if (tv != null) {
          ann.putAll(tv.annotations());
          desired.put(target, new DesiredVersion(target, rev, tv.specReplicas(), ann, restart()));
        }
        String msg = PAUSED_BY + " Revision " + rev + " waits; revision "
            + revisionOf(live) + " serves.";
        conditions.add(new ConditionState(PAUSED, true, "Paused", msg));
        conditions.add(new ConditionState(PROGRESSING, true, "Paused", msg));
        return new Rollout(Phase.Paused, msg, tv != null, false);
      }
      conditions.add(new ConditionState(PAUSED, false, "Running", "Not paused."));
      conditions.add(new ConditionState(AVAILABLE, true, "AllReplicasAvailable",
          "Revision " + revisionOf(live) + " serves while revision " + rev + " rolls out."));

      boolean retried = wasAborted && cmd.retry();
      if (tv == null || retried) {
        events.add(PlannedEvent.normal("RolloutStarted", "Rolling out revision " + rev
            + " beside live revision " + revisionOf(live) + "."));
      }

      // A version that served before and is still warm at full size: switch back at once.
      if (tv != null && !retried && tv.has(Labels.PROMOTED_AT) && tv.isAvailableAt(app.replicas())) {
        return switchTo(live, target, ann, "RolledBack",
            "Switched back to warm revision " + rev + ".");
      }

      if (app.strategy() == AppSettings.Strategy.CANARY) {
        return stepped(live, target, tv, ann, retried);
      }

      // The pre-promotion analysis runs on the preview once it is ready; no switch before it
      // passed. A promote passes it only when it is inconclusive (accepted once, recorded).
      Optional<AnalysisSpec> pre = s.analysis().prePromotion();
      int attempt = attempt(tv, rev, retried);
      RunKey preKey = new RunKey(rev, attempt, RunKey.PRE_PROMOTION);
      Optional<AnalysisRunStatus> preRecorded = pre.flatMap(p ->
          AnalysisRunStatuses.find(s.analysis().recorded(), preKey));
      if (pre.isPresent()) {
        ann.put(Labels.ATTEMPT, Integer.toString(attempt));
      }
      boolean prePassed = pre.isEmpty() || preRecorded.filter(r ->
          r.phase == AnalysisPhase.Successful
              || (r.phase == AnalysisPhase.Inconclusive && Boolean.TRUE.equals(r.overridden)))
          .isPresent();
      boolean preAccepted = !prePassed && cmd.promote() && !retried && preRecorded.filter(r ->
          r.phase == AnalysisPhase.Inconclusive).isPresent();
      if (preAccepted) {
        gate.run(preKey, pre.get(), variables(target, live, rev, 0, 0));
        gate.override(preKey);
        events.add(PlannedEvent.normal("AnalysisOverridden", "Revision " + rev + ": the "
            + "inconclusive pre-promotion analysis was accepted by a promote."));
      }
      boolean promoteCommand = cmd.promote() && (prePassed || preAccepted);
      boolean promoting = (tv != null && tv.has(Labels.PROMOTING) && !retried) || promoteCommand;
      int size = promoting ? app.replicas() : app.previewReplicas();
      Instant progressSince = tv == null || retried || tv.specReplicas() != size
          ? now : tv.instant(Labels.PROGRESS_SINCE).orElse(now);
      boolean ready = tv != null && !retried && tv.isServableAt(size);

      if (!ready) {
        Instant deadline = progressSince.plus(app.progressDeadline());
        if (!now.isBefore(deadline)) {
          return abort(live, target, ann, "ProgressDeadlineExceeded",
              "Revision " + rev + " was not ready within " + app.progressDeadline().toSeconds()
                  + "s: " + (tv == null ? "no pods" : tv.availableReplicas() + "/" + size
                  + " pods available") + "." + problems(tv));
        }
        wakeAt(deadline);
        ann.put(Labels.PROGRESS_SINCE, progressSince.toString());
        if (promoting) {
          ann.put(Labels.PROMOTING, "true");
        }
        desired.put(target, new DesiredVersion(target, rev, size, ann, restart()));
        String msg = "Revision " + rev + ": " + (tv == null ? 0 : tv.availableReplicas()) + "/"
            + size + " pods available" + (promoting ? " (scaling to full size to promote)" : "")
            + "; revision " + revisionOf(live) + " serves." + problems(tv);
        conditions.add(new ConditionState(PROGRESSING, true,
            promoting ? "Promoting" : "NewRevisionProgressing", msg));
        conditions.add(new ConditionState(DEGRADED, false, "Progressing", msg));
        return new Rollout(Phase.Progressing, msg, true, false);
      }

      if (promoting && !app.steps().isEmpty()) {
        // Available at full size: shift traffic through the ingress step by step.
        ann.put(Labels.PROMOTING, "true");
        ann.put(Labels.PROGRESS_SINCE, progressSince.toString());
        return stepped(live, target, tv, ann, retried);
      }
      if (promoting) {
        // Available at full size: switch in one write.
        return switchTo(live, target, ann, "Promoted",
            "Switched traffic to revision " + rev + (cmd.promote() ? " (manual promote)." : "."));
      }

      Instant readySince = tv.instant(Labels.READY_SINCE).orElse(now);
      if (tv.instant(Labels.READY_SINCE).isEmpty()) {
        events.add(PlannedEvent.normal("PreviewReady", "Revision " + rev + " has all "
            + size + " preview pods available."));
      }
      ann.put(Labels.PROGRESS_SINCE, progressSince.toString());
      ann.put(Labels.READY_SINCE, readySince.toString());
      if (pre.isPresent()) {
        AnalysisGate.State st = gate.run(preKey, pre.get(), variables(target, live, rev, 0, 0));
        String what = "Revision " + rev + ": pre-promotion";
        if (st.phase() == AnalysisPhase.Failed) {
          return analysisFailed(live, target, ann, what, st);
        }
        if (st.awaitsDecision()) {
          return holdInconclusive(live, target, tv, ann, what + " analysis", st);
        }
        if (!st.passed()) {
          if (cmd.promote()) {
            events.add(PlannedEvent.normal("PromoteIgnored", what + " analysis runs; a promote "
                + "passes only an inconclusive one."));
          }
          desired.put(target, new DesiredVersion(target, rev, size, ann, restart()));
          return progressing(what + " analysis runs on the preview before the switch (a timer "
              + "never passes it); revision " + revisionOf(live) + " serves.", "AnalysisRunning");
        }
        if (st.decidedNow()) {
          events.add(PlannedEvent.normal("AnalysisPassed", what + ": " + st.message() + "."));
        }
      }
      Instant promoteAt = readySince.plus(app.promotionDelay());
      if (app.autoPromotion() && !now.isBefore(promoteAt)) {
        if (size == app.replicas() && !app.steps().isEmpty()) {
          ann.put(Labels.PROMOTING, "true");
          return stepped(live, target, tv, ann, retried);
        }
        if (size == app.replicas()) {
          return switchTo(live, target, ann, "Promoted",
              "Switched traffic to revision " + rev + ".");
        }
        // Scale to full size first; the switch follows once every pod is available.
        ann.put(Labels.PROMOTING, "true");
        ann.put(Labels.PROGRESS_SINCE, now.toString());
        wakeAt(now.plus(app.progressDeadline()));
        desired.put(target, new DesiredVersion(target, rev, app.replicas(), ann, restart()));
        String msg = "Promoting revision " + rev + ": scaling to " + app.replicas()
            + " pods before switching traffic.";
        conditions.add(new ConditionState(PROGRESSING, true, "Promoting", msg));
        conditions.add(new ConditionState(DEGRADED, false, "Progressing", msg));
        return new Rollout(Phase.Progressing, msg, true, false);
      }
      desired.put(target, new DesiredVersion(target, rev, size, ann, restart()));
      String msg;
      Phase phase;
      if (app.autoPromotion()) {
        wakeAt(promoteAt);
        msg = "Revision " + rev + " is ready; promoting at " + promoteAt + ".";
        phase = Phase.Progressing;
        conditions.add(new ConditionState(PROGRESSING, true, "WaitingForPromotionDelay", msg));
      } else {
        msg = "Revision " + rev + " is ready and waits for a promote (annotate "
            + Commands.PROMOTE + " or run `kubectl baton promote`).";
        phase = Phase.Paused;
        conditions.removeIf(c -> c.type().equals(PAUSED));
        conditions.add(new ConditionState(PAUSED, true, "WaitingForPromotion", msg));
        conditions.add(new ConditionState(PROGRESSING, true, "WaitingForPromotion", msg));
      }
      conditions.add(new ConditionState(DEGRADED, false, "Progressing", msg));
      return new Rollout(phase, msg, true, false);
    }

    /**
     * A stepped rollout (canary steps, or blue/green traffic steps once the new version runs at
     * full size). Each step: size the new version, wait until its pods are available, set the
     * weight, wait until the weight is read back, hold (for a time or until a promote), move on.
     * After the last step the new version goes to full size and takes all traffic in one write.
     * The step index and when its hold began are annotations on the new version's Deployment, so
     * a restarted operator resumes at the same step with the same weights.
     */
    private Rollout stepped(String live, String target, VersionState tv,
        Map<String, String> ann, boolean retried) {
      List<RolloutStep> steps = app.steps();
      Commands cmd = s.commands();
      int rev = revisionOf(target);
      boolean started = tv != null && tv.has(Labels.STEP) && !retried;
      int index = started ? parseInt(tv.annotations().get(Labels.STEP)) : 0;
      Optional<Instant> stepSince = started ? tv.instant(Labels.STEP_SINCE) : Optional.empty();
      int attempt = attempt(tv, rev, retried);
      ann.put(Labels.ATTEMPT, Integer.toString(attempt));
      boolean promote = started && cmd.promote() && !cmd.promoteFull();
      // The background analysis runs from its starting step (once reached) until promotion.
      Optional<RunKey> background = Optional.empty();
      AnalysisGate.State backgroundState = null;
      if (started && backgroundRunsAt(index, stepSince.isPresent())) {
        background = Optional.of(new RunKey(rev, attempt, RunKey.BACKGROUND));
        backgroundState = gate.run(background.get(), s.analysis().background().get(),
            variables(target, live, rev, CanaryArithmetic.weightAt(steps, index), index));
        if (backgroundState.awaitsDecision() && cmd.promote()) {
          gate.override(background.get());
          events.add(PlannedEvent.normal("AnalysisOverridden", "The inconclusive background "
              + "analysis of revision " + rev + " was accepted by a promote."));
          promote = false; // one decision per promote (--full still skips the steps)
        } else {
          Optional<Rollout> stop = backgroundVerdict(live, target, tv, ann, rev, backgroundState);
          if (stop.isPresent()) {
            return stop.get();
          }
        }
      }
      Optional<AnalysisSpec> stepAnalysis = index < steps.size() ? steps.get(index).analysis()
          : Optional.empty();
      if (started && cmd.promoteFull()) {
        index = steps.size();
        events.add(PlannedEvent.normal("StepsSkipped", "Full promotion of revision " + rev
            + " requested: skipping the remaining steps."));
      } else if (promote && index < steps.size() && stepAnalysis.isPresent()) {
        // A promote passes an analysis step only on an inconclusive verdict, recorded as
        // overridden; a running analysis is never skipped by it.
        RunKey key = RunKey.step(rev, attempt, index);
        AnalysisGate.State st = stepSince.isPresent()
            ? gate.run(key, stepAnalysis.get(), variables(target, live, rev,
                CanaryArithmetic.weightAt(steps, index), index))
            : null;
        if (st != null && st.awaitsDecision()) {
          gate.override(key);
          events.add(PlannedEvent.normal("AnalysisOverridden", "Step " + (index + 1) + "/"
              + steps.size() + " of revision " + rev + ": the inconclusive analysis was "
              + "accepted by a promote."));
          index++;
          stepSince = Optional.empty();
        } else if (st == null || !st.passed()) {
          events.add(PlannedEvent.normal("PromoteIgnored", "Step " + (index + 1) + "/"
              + steps.size() + " of revision " + rev + " waits for its analysis' verdict; a "
              + "promote passes only an inconclusive one (promote --full skips every step)."));
        }
      } else if (promote && index < steps.size()) {
        events.add(PlannedEvent.normal("StepPromoted", "Step " + (index + 1) + "/" + steps.size()
            + " of revision " + rev + " promoted by hand."));
        index++;
        stepSince = Optional.empty();
      }
      if (!started) {
        events.add(PlannedEvent.normal("StepsStarted", "Revision " + rev + " starts its "
            + steps.size() + " traffic steps."));
      }
      ann.put(Labels.STEP, Integer.toString(Math.min(index, steps.size())));
      if (index >= steps.size()) {
        background.ifPresent(gate::end);
        return finalStep(live, target, tv, ann);
      }
      currentStep = index;
      RolloutStep step = steps.get(index);
      String where = "Step " + (index + 1) + "/" + steps.size() + " of revision " + rev;
      boolean byPodShare = app.provider() == dev.baton.api.v1alpha1.IngressSpec.Provider.none;
      int stepWeight = CanaryArithmetic.weightAt(steps, index);
      int size = stepSize(stepWeight, CanaryArithmetic.scaleAt(steps, index));
      if (tv != null && size < tv.specReplicas() && !trafficSettledAt(stepWeight, byPodShare)) {
        size = tv.specReplicas(); // shrink only once the lower weight is read back
      }
      Instant progressSince = tv == null || retried || tv.specReplicas() != size
          ? now : tv.instant(Labels.PROGRESS_SINCE).orElse(now);
      ann.put(Labels.PROGRESS_SINCE, progressSince.toString());
      boolean podsReady = tv != null && !retried && tv.isServableAt(size) && othersDrained(
          live, target, byPodShare);
      if (!podsReady) {
        Instant deadline = progressSince.plus(app.progressDeadline());
        if (!now.isBefore(deadline)) {
          return abort(live, target, ann, "ProgressDeadlineExceeded", where + " was not ready "
              + "within " + app.progressDeadline().toSeconds() + "s: " + (tv == null ? "no pods"
              : tv.availableReplicas() + "/" + size + " pods available") + "." + problems(tv));
        }
        wakeAt(deadline);
        desired.put(target, new DesiredVersion(target, rev, size, ann, restart()));
        return progressing(where + ": " + (tv == null ? 0 : tv.availableReplicas()) + "/" + size
            + " pods available before the weight moves to " + stepWeight + "%; revision "
            + revisionOf(live) + " serves." + problems(tv), "StepProgressing");
      }
      desired.put(target, new DesiredVersion(target, rev, size, ann, restart()));
      if (byPodShare) {
        wide = stepWeight > 0;
      } else {
        weight = stepWeight;
      }
      if (!trafficSettledAt(stepWeight, byPodShare)) {
        wakeAt(now.plus(SETTLE_POLL));
        String pending = s.traffic().pending().isEmpty() ? "" : " (" + s.traffic().pending() + ")";
        return progressing(where + ": setting " + stepWeight + "% of traffic on "
            + app.provider() + " and waiting to read it back" + pending + ".", "SettingWeight");
      }
      Instant since = stepSince.orElse(now);
      ann.put(Labels.STEP_SINCE, since.toString());
      if (stepSince.isEmpty()) {
        events.add(PlannedEvent.normal("StepReached", where + ": " + stepWeight
            + "% of traffic, " + size + " pods."));
      }
      if (s.analysis().background().isPresent() && background.isEmpty()
          && backgroundRunsAt(index, true)) {
        // The starting step is reached in this pass: the background analysis starts now.
        AnalysisGate.State st = gate.run(new RunKey(rev, attempt, RunKey.BACKGROUND),
            s.analysis().background().get(), variables(target, live, rev, stepWeight, index));
        Optional<Rollout> stop = backgroundVerdict(live, target, tv, ann, rev, st);
        if (stop.isPresent()) {
          return stop.get();
        }
      }
      if (step.analysis().isPresent()) {
        return analysisStep(live, target, tv, ann, index, where, RunKey.step(rev, attempt, index),
            step.analysis().get(), variables(target, live, rev, stepWeight, index));
      }
      if (!step.pause()) {
        return advance(target, tv, ann, index, where + " done.");
      }
      if (step.pauseFor().isPresent()) {
        Instant until = since.plus(step.pauseFor().get());
        if (!now.isBefore(until)) {
          return advance(target, tv, ann, index, where + " held for "
              + step.pauseFor().get().toSeconds() + "s.");
        }
        wakeAt(until);
        return progressing(where + ": " + stepWeight + "% of traffic; holding until " + until
            + ".", "StepPaused");
      }
      String msg = where + ": " + stepWeight + "% of traffic; waits for a promote (annotate "
          + Commands.PROMOTE + " or run `kubectl baton promote`; --full skips the rest).";
      conditions.removeIf(c -> c.type().equals(PAUSED));
      conditions.add(new ConditionState(PAUSED, true, "WaitingForPromotion", msg));
      conditions.add(new ConditionState(PROGRESSING, true, "WaitingForPromotion", msg));
      conditions.add(new ConditionState(DEGRADED, false, "Progressing", msg));
      return new Rollout(Phase.Paused, msg, true, false);
    }

    /**
     * A canary {@code analysis} step, its weight and pods in place: it holds until the verdict.
     * Passed, the rollout moves on; failed, it aborts (weight 0 in one write); inconclusive, it
     * pauses with the weight held until a promote accepts it or the progress deadline passes.
     */
    private Rollout analysisStep(String live, String target, VersionState tv,
        Map<String, String> ann, int index, String where, RunKey key, AnalysisSpec analysis,
        AnalysisVariables variables) {
      AnalysisGate.State st = gate.run(key, analysis, variables);
      if (st.phase() == AnalysisPhase.Failed) {
        return analysisFailed(live, target, ann, where, st);
      }
      if (st.passed()) {
        if (st.decidedNow()) {
          events.add(PlannedEvent.normal("AnalysisPassed", where + ": " + st.message() + "."));
        }
        return advance(target, tv, ann, index, where + ": analysis "
            + (st.overridden() ? "inconclusive, accepted by a promote." : "passed."));
      }
      if (st.awaitsDecision()) {
        return holdInconclusive(live, target, tv, ann, where + ": analysis", st);
      }
      return progressing(where + ": " + variables.weight() + "% of traffic; waiting for the "
          + "analysis' verdict (a timer never passes it).", "AnalysisRunning");
    }

    /** Where the background analysis stands stops the rollout (failed, or awaits a decision). */
    private Optional<Rollout> backgroundVerdict(String live, String target, VersionState tv,
        Map<String, String> ann, int rev, AnalysisGate.State st) {
      if (st.phase() == AnalysisPhase.Failed) {
        return Optional.of(analysisFailed(live, target, ann, "Revision " + rev
            + ": background", st));
      }
      if (st.awaitsDecision()) {
        return Optional.of(holdInconclusive(live, target, tv, ann, "Revision " + rev
            + ": background analysis", st));
      }
      return Optional.empty();
    }

    /** Whether the background analysis runs at step {@code index} (its start reached). */
    private boolean backgroundRunsAt(int index, boolean stepReached) {
      return s.analysis().background().map(b -> {
        int from = b.startingStep == null ? 0 : b.startingStep;
        return index > from || (index == from && stepReached);
      }).orElse(false);
    }

    private Rollout analysisFailed(String live, String target, Map<String, String> ann,
        String where, AnalysisGate.State st) {
      String msg = where + " analysis failed: " + st.message() + ".";
      events.add(PlannedEvent.warning("AnalysisFailed", msg));
      return abort(live, target, ann, "AnalysisFailed", msg);
    }

    /** Paused on an inconclusive verdict, weight and pods held, until a promote or the deadline. */
    private Rollout holdInconclusive(String live, String target, VersionState tv,
        Map<String, String> ann, String what, AnalysisGate.State st) {
      int rev = revisionOf(target);
      Instant deadline = st.completedAt().orElse(now).plus(app.progressDeadline());
      if (!now.isBefore(deadline)) {
        return abort(live, target, ann, "AnalysisInconclusive", what + " was inconclusive ("
            + st.message() + ") and no promote accepted it within "
            + app.progressDeadline().toSeconds() + "s.");
      }
      wakeAt(deadline);
      Map<String, String> held = new HashMap<>(tv.annotations());
      held.putAll(ann);
      if (tv.annotations().containsKey(Labels.STEP)) {
        held.put(Labels.STEP, tv.annotations().get(Labels.STEP));
      }
      tv.instant(Labels.STEP_SINCE).ifPresent(t -> held.put(Labels.STEP_SINCE, t.toString()));
      desired.put(target, new DesiredVersion(target, rev, tv.specReplicas(), held, restart()));
      String msg = what + " is inconclusive: " + st.message() + ". The weight is held; "
          + "annotate " + Commands.PROMOTE + " (or run `kubectl baton promote`) to accept it "
          + "once, or abort; it aborts by itself at " + deadline + ".";
      if (st.decidedNow()) {
        events.add(PlannedEvent.warning("AnalysisInconclusive", msg));
      }
      conditions.removeIf(c -> c.type().equals(PAUSED));
      conditions.add(new ConditionState(PAUSED, true, "AnalysisInconclusive", msg));
      conditions.add(new ConditionState(PROGRESSING, true, "AnalysisInconclusive", msg));
      conditions.add(new ConditionState(DEGRADED, false, "Progressing", msg));
      return new Rollout(Phase.Paused, msg, true, false);
    }

    /**
     * The attempt at the target: as recorded while its rollout goes on; one more on a retry, and
     * on a new rollout of a revision analysed before (its Deployment gone: the spec came back to
     * it, or an undo to it), so no earlier verdict is reused.
     */
    private int attempt(VersionState tv, int rev, boolean retried) {
      int recorded = recordedAttempt(rev);
      if (tv != null && tv.has(Labels.ATTEMPT)) {
        recorded = Math.max(recorded, parseInt(tv.annotations().get(Labels.ATTEMPT)));
      }
      boolean newRollout = tv == null && recorded > 0;
      return retried || newRollout ? recorded + 1 : Math.max(1, recorded);
    }

    /** The last attempt status.analysis records for revision {@code rev}, or 0. */
    private int recordedAttempt(int rev) {
      return s.analysis().recorded().stream()
          .filter(r -> r.revision != null && r.revision == rev && r.attempt != null)
          .mapToInt(r -> r.attempt).max().orElse(0);
    }

    /** Baton's variables for the analyses of the target at this step. */
    private AnalysisVariables variables(String target, String live, int rev, int weight,
        int step) {
      return new AnalysisVariables(app.name(), app.namespace(), rev, target, live,
          DesiredObjects.activeServiceName(app.name()),
          DesiredObjects.previewServiceName(app.name()), app.servicePort(), app.name(), weight,
          step);
    }

    /** Moves to the next step at once (requeue now), recording it on the Deployment. */
    private Rollout advance(String target, VersionState tv, Map<String, String> ann, int index,
        String message) {
      ann.put(Labels.STEP, Integer.toString(index + 1));
      ann.remove(Labels.STEP_SINCE);
      DesiredVersion d = desired.get(target);
      desired.put(target, new DesiredVersion(target, d.revision(), d.replicas(), ann, restart()));
      wakeAt(now);
      currentStep = index + 1 < app.steps().size() ? index + 1 : null;
      return progressing(message, "StepCompleted");
    }

    /** After the last step: full size, then every request to the new version in one write. */
    private Rollout finalStep(String live, String target, VersionState tv,
        Map<String, String> ann) {
      int rev = revisionOf(target);
      int size = app.replicas();
      if (tv != null && tv.isServableAt(size)) {
        return switchTo(live, target, ann, "Promoted", "Switched all traffic to revision " + rev
            + " after its steps.");
      }
      Instant progressSince = tv == null || tv.specReplicas() != size
          ? now : tv.instant(Labels.PROGRESS_SINCE).orElse(now);
      Instant deadline = progressSince.plus(app.progressDeadline());
      if (!now.isBefore(deadline)) {
        return abort(live, target, ann, "ProgressDeadlineExceeded", "Revision " + rev
            + " was not available at full size within " + app.progressDeadline().toSeconds()
            + "s." + problems(tv));
      }
      wakeAt(deadline);
      ann.put(Labels.PROGRESS_SINCE, progressSince.toString());
      desired.put(target, new DesiredVersion(target, rev, size, ann, restart()));
      return progressing("Promoting revision " + rev + ": " + (tv == null ? 0
          : tv.availableReplicas()) + "/" + size + " pods available before all traffic moves.",
          "Promoting");
    }

    private Rollout progressing(String msg, String reason) {
      conditions.add(new ConditionState(PROGRESSING, true, reason, msg));
      conditions.add(new ConditionState(DEGRADED, false, "Progressing", msg));
      return new Rollout(Phase.Progressing, msg, true, false);
    }

    /** Pods of the new version at a step: its full size for blue/green, else from the weight. */
    private int stepSize(int stepWeight, RolloutStep.CanaryScale scale) {
      if (app.strategy() != AppSettings.Strategy.CANARY) {
        return app.replicas();
      }
      return app.provider() == dev.baton.api.v1alpha1.IngressSpec.Provider.none
          ? CanaryArithmetic.replicasByPodShare(app.replicas(), stepWeight)
          : CanaryArithmetic.replicasWithProvider(app.replicas(), stepWeight, scale);
    }

    /** True when the traffic objects hold the given weight (by pod share: the Service spans). */
    private boolean trafficSettledAt(int w, boolean byPodShare) {
      return byPodShare ? s.traffic().wide() == (w > 0)
          : s.traffic().weight().filter(x -> x == w).isPresent();
    }

    /** By pod share, no third version may have pods the spanning Service would pick up. */
    private boolean othersDrained(String live, String target, boolean byPodShare) {
      return !byPodShare || s.versions().values().stream()
          .filter(v -> !v.hash().equals(live) && !v.hash().equals(target))
          .allMatch(v -> v.readyReplicas() == 0 && v.specReplicas() == 0);
    }

    private static int parseInt(String value) {
      try {
        return Math.max(0, Integer.parseInt(value));
      } catch (NumberFormatException e) {
        return 0;
      }
    }

    private Rollout switchTo(String live, String target, Map<String, String> ann, String reason,
        String message) {
      int rev = revisionOf(target);
      // Exactly what keepLive writes for a live version, so the next reconcile has nothing to
      // clear: the rollout's timers and step go in this one write.
      ann.clear();
      ann.put(Labels.REVISION, Integer.toString(rev));
      ann.put(Labels.PROMOTED_AT, now.toString());
      desired.put(target, new DesiredVersion(target, rev, app.replicas(), ann, restart()));
      promoted = Optional.of(target);
      // Both Services select the target now; the ingress weight goes back to the active Service.
      weight = 0;
      wide = false;
      events.add(PlannedEvent.normal(reason, message));
      conditions.add(new ConditionState(PROGRESSING, true, reason, message));
      conditions.add(new ConditionState(DEGRADED, false, reason, message));
      return new Rollout(Phase.Progressing, message, true, true);
    }

    private Rollout abort(String live, String target, Map<String, String> ann, String reason,
        String message) {
      ann.put(Labels.ABORTED, reason);
      ann.put(Labels.ABORTED_MESSAGE, message);
      ann.put(Labels.ABORTED_AT, now.toString());
      // Traffic back to the live version in one write; the pods go once that is read back.
      desired.put(target, new DesiredVersion(target, revisionOf(target),
          drainedSize(s.versions().get(target)), ann, restart()));
      weight = 0;
      wide = false;
      aborted = Optional.of(target);
      abortReason = reason;
      events.add(PlannedEvent.warning("RolloutAborted", message + " Revision "
          + revisionOf(live) + " keeps serving."));
      return abortedState(live, target, reason, message);
    }

    private Rollout abortedState(String live, String target, String reason, String message) {
      boolean byUser = "AbortedByUser".equals(reason);
      String msg = message + " Revision " + revisionOf(live) + " serves; change the spec or "
          + "annotate " + Commands.RETRY + " to try again.";
      conditions.removeIf(c -> !c.type().equals(INVALID_SPEC));
      conditions.add(new ConditionState(AVAILABLE, true, "AllReplicasAvailable",
          "Revision " + revisionOf(live) + " serves."));
      conditions.add(new ConditionState(PROGRESSING, false, reason, msg));
      conditions.add(new ConditionState(DEGRADED, !byUser, reason, msg));
      conditions.add(new ConditionState(PAUSED, false, "Running", "Not paused."));
      return new Rollout(byUser ? Phase.Aborted : Phase.Degraded, msg, false, false);
    }

    /**
     * The live version's post-promotion analysis, as phase and conditions (empty: nothing to
     * report), with its Events. While it runs, the previous version is held warm.
     */
    private Optional<Phase> postPromotion(PostPromotion p, String target) {
      AnalysisGate.State st = p.state();
      int rev = revisionOf(target);
      String what = "Revision " + rev + ": post-promotion analysis";
      if (p.accepted()) {
        events.add(PlannedEvent.normal("AnalysisOverridden", what + " was inconclusive and is "
            + "accepted by a promote."));
        return Optional.empty();
      }
      if (st.passed()) {
        if (st.decidedNow()) {
          events.add(PlannedEvent.normal("AnalysisPassed", what + ": " + st.message() + "."));
        }
        return Optional.empty();
      }
      String msg;
      Phase phase;
      if (st.awaitsDecision()) {
        Instant deadline = st.completedAt().orElse(now).plus(app.progressDeadline());
        wakeAt(deadline);
        msg = what + " is inconclusive: " + st.message() + ". Revision " + p.warm().revision()
            + " stays warm; annotate " + Commands.PROMOTE + " to accept it once, or traffic "
            + "switches back at " + deadline + ".";
        if (st.decidedNow()) {
          events.add(PlannedEvent.warning("AnalysisInconclusive", msg));
        }
        phase = Phase.Paused;
        conditions.removeIf(c -> c.type().equals(PAUSED) || c.type().equals(PROGRESSING));
        conditions.add(new ConditionState(PAUSED, true, "AnalysisInconclusive", msg));
        conditions.add(new ConditionState(PROGRESSING, true, "AnalysisInconclusive", msg));
      } else {
        msg = what + " runs; revision " + p.warm().revision() + " stays warm until its "
            + "verdict, so a failure switches back at once.";
        phase = Phase.Progressing;
        conditions.removeIf(c -> c.type().equals(PROGRESSING));
        conditions.add(new ConditionState(PROGRESSING, true, "AnalysisRunning", msg));
      }
      return Optional.of(phase);
    }

    /** Versions that are neither live nor the target: keep warm through the window, then zero. */
    private void retireOthers(String active, String target) {
      boolean spanning = app.provider() == dev.baton.api.v1alpha1.IngressSpec.Provider.none
          && app.strategy() == AppSettings.Strategy.CANARY && !active.equals(target);
      for (VersionState v : s.versions().values()) {
        if (desired.containsKey(v.hash())) {
          continue;
        }
        if (post.filter(p -> p.holdsWarm() && p.warm().hash().equals(v.hash())).isPresent()) {
          // The post-promotion analysis of the live version runs: a failure switches back here.
          desired.put(v.hash(), new DesiredVersion(v.hash(), v.revision(), v.specReplicas(),
              RollbackWindow.bookkeeping(v), restart()));
        } else if (!trafficSettled() && v.specReplicas() > 0) {
          // Never scale down while the ingress may still send it traffic: wait for the read-back.
          desired.put(v.hash(), new DesiredVersion(v.hash(), v.revision(), v.specReplicas(),
              RollbackWindow.bookkeeping(v), restart()));
          wakeAt(now.plus(SETTLE_POLL));
        } else if (spanning) {
          // A canary by pod share spans the app's pods: no third version may be among them.
          desired.put(v.hash(), new DesiredVersion(v.hash(), v.revision(), 0,
              RollbackWindow.bookkeeping(v), restart()));
        } else {
          RollbackWindow.Retirement r = RollbackWindow.retire(v, now, app.scaleDownDelay(),
              restart());
          desired.put(v.hash(), r.desired());
          r.wakeAt().ifPresent(this::wakeAt);
          r.event().ifPresent(events::add);
        }
      }
    }

    /**
     * Retired versions already at zero: their Deployments go (at most two versions run, plus one
     * in its rollback window); their templates stay in the revision history for undo.
     */
    private List<String> deletions(String active, String target) {
      List<String> delete = new ArrayList<>();
      for (VersionState v : s.versions().values()) {
        DesiredVersion d = desired.get(v.hash());
        boolean retired = !v.hash().equals(active) && !v.hash().equals(target);
        if (retired && d != null && d.replicas() == 0 && v.specReplicas() == 0) {
          delete.add(v.hash());
          desired.remove(v.hash());
        }
      }
      return delete;
    }

    /** True when the traffic objects hold what this plan asks (weights read back). */
    private boolean trafficSettled() {
      if (app.provider() == dev.baton.api.v1alpha1.IngressSpec.Provider.none) {
        return s.traffic().wide() == wide;
      }
      return s.traffic().weight().filter(w -> w == weight).isPresent();
    }

    /** Size of an aborted version: kept while traffic may still reach it, then zero. */
    private int drainedSize(VersionState v) {
      if (v == null) {
        return 0;
      }
      boolean reachable = app.provider() == dev.baton.api.v1alpha1.IngressSpec.Provider.none
          ? s.traffic().wide() : s.traffic().weight().filter(w -> w > 0).isPresent();
      if (reachable) {
        wakeAt(now.plus(SETTLE_POLL));
        return v.specReplicas();
      }
      return 0;
    }

    /** With no active Service, the newest version that is fully available may serve. */
    private Optional<String> bestServingVersion() {
      return s.versions().values().stream()
          .filter(v -> v.isAvailableAt(app.replicas()) && v.has(Labels.PROMOTED_AT))
          .max(Comparator.comparingInt(VersionState::revision))
          .map(VersionState::hash);
    }

    private int revisionOf(String hash) {
      return s.revisionOf(hash);
    }

    private boolean paused() {
      return app.paused() || s.commands().paused();
    }

    /** Every version Baton writes carries the current restart value, so none restarts later. */
    private String restart() {
      return s.commands().restart().orElse(null);
    }

    private void wakeAt(Instant t) {
      if (wakeUp == null || t.isBefore(wakeUp)) {
        wakeUp = t;
      }
    }


    private static String problems(VersionState v) {
      return v == null || v.podProblems() == null || v.podProblems().isEmpty()
          ? "" : " " + v.podProblems();
    }
  }
}
