package dev.baton.planning;

import dev.baton.api.v1alpha1.Phase;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Decides the rolling strategy ({@code spec.strategy.rolling}): a pure function from a
 * {@link Snapshot} to a {@link Plan}.
 *
 * <h2>Model</h2>
 * One Deployment named {@code <app>} runs the app; Baton replaces its pod template in place and
 * the Deployment controller rolls the pods within {@code maxSurge}/{@code maxUnavailable}. In the
 * {@link Snapshot} it is the {@link VersionState} keyed {@link Labels#ROLLING} (the
 * {@link Labels#REVISION_HASH} label of the Deployment and of all its pods, whatever template
 * they run), so the snapshot reader, the Deployment names and the Service builder work unchanged:
 * the active and preview Services select {@code baton.dev/revision-hash=rolling}, which stays true
 * while old and new pods mix. Which revision it runs is its {@link Bookkeeping} (recorded in
 * status):
 * <ul>
 *   <li>{@link Bookkeeping#templateHash()}: the revision in its pod template now (rolling in or
 *       done);
 *   <li>{@link Bookkeeping#stableHash()}: the last revision it rolled out completely, the one an
 *       abort goes back to (its template comes from the revision history);
 *   <li>{@link Bookkeeping#progressSince()}: when the current template was written (deadline
 *       start);
 *   <li>{@link Bookkeeping#abortedHash()} and the abort: a revision not to roll again until a
 *       retry or a new template.
 * </ul>
 * Its revision number is the stable revision's, so that "undo to the previous revision" means the
 * one before it, as for blue/green.
 * A rollout of T while S is stable: write T, then each reconcile compares the Deployment's status
 * (observedGeneration, updatedReplicas, availableReplicas) with {@code replicas}. Complete: T
 * becomes stable ({@code Promoted}). Deadline passed or abort command: write S's template back
 * (the Deployment controller scales the old ReplicaSet up again) and report Degraded/Aborted.
 * Pause sets the Deployment's {@code spec.paused}; the deadline restarts on resume. Undo is the
 * {@link TargetResolver}'s pin, rolled like any new template.
 *
 * <h2>Switching strategy</h2>
 * From blue/green (the active Service selects a per-revision Deployment H): the rolling
 * Deployment is created at full size with the target template beside H, the active Service moves
 * to it in one write once every pod is available, and H is retired like any replaced version
 * (kept warm for {@code scaleDownDelaySeconds}, then scaled to zero and deleted). To blue/green:
 * the {@link BlueGreenPlanner} sees the rolling Deployment as the live version (key
 * {@link Labels#ROLLING}) and rolls a new per-revision Deployment out beside it as usual.
 */
public final class RollingPlanner {

  private static final String KEY = Labels.ROLLING;

  /** Plans one reconcile; {@code resolution} is the target chosen by {@link TargetResolver}. */
  public Plan plan(Snapshot s, TargetResolver.Resolution resolution) {
    return new Planning(s, resolution).run();
  }

  /**
   * The result of the rolling step.
   *
   * @param activeSelects what the active Service selects
   * @param live the revision that serves after this plan
   * @param preview the revision rolling in, if any
   */
  record Step(Phase phase, String message, String activeSelects, String live,
      Optional<String> preview) {}

  /** One planning pass. */
  private static final class Planning {
    private final Snapshot s;
    private final PlanBuilder plan;
    private final AppSettings app;
    private final Commands cmd;
    private final Instant now;
    private final String target;
    private final VersionState rolling;
    /** The rolling Deployment's bookkeeping as observed (none before it exists). */
    private final Bookkeeping seen;
    private final String current;
    private final String stable;

    Planning(Snapshot s, TargetResolver.Resolution resolution) {
      this.s = s;
      this.plan = new PlanBuilder(s, resolution);
      this.app = s.app();
      this.cmd = s.commands();
      this.now = s.now();
      this.target = resolution.target().hash();
      this.rolling = s.versions().get(KEY);
      this.seen = rolling == null ? Bookkeeping.NONE : rolling.bookkeeping();
      this.current = seen.templateHash().orElse(null);
      this.stable = seen.stableHash().orElse(null);
    }

    Plan run() {
      Optional<String> serving = s.activeHash().filter(s.versions()::containsKey);
      if (serving.isEmpty()) {
        serving = rolling != null ? Optional.of(KEY) : newestServingVersion();
      }
      Step step = serving.isPresent() && !serving.get().equals(KEY)
          ? new RollingSwitchIn(plan, rolling, current).switchIn(serving.get()) : rollingUpdate();
      RollbackWindow.retireOthers(plan, v -> OptionalInt.empty());
      // Retired per-revision Deployments at zero go; never the one the Service selects.
      plan.deleteRetired(h -> h.equals(KEY) || s.activeHash().filter(h::equals).isPresent());
      // The preview Service follows the rolling Deployment: there is no separate preview.
      String preview = plan.kept(KEY).filter(d -> d.replicas() > 0).isPresent()
          ? KEY : step.activeSelects();
      return plan.build(step.phase(), step.message(), step.activeSelects(), preview,
          step.live(), step.preview(), 0, AnalysisPlan.NONE);
    }

    /** The rolling Deployment serves (or the app is new): roll its template towards the target. */
    private Step rollingUpdate() {
      Bookkeeping ann = Bookkeeping.NONE.withPromotedAt(seen.promotedAt().orElse(now));
      int rev = plan.rev(target);

      boolean targetAborted = rolling != null && stable != null
          && seen.abortedHash().filter(target::equals).isPresent();
      if (targetAborted && !cmd.retry()) {
        putRolling(ann.withAbortedHash(seen.abortedHash()).withAborted(seen.aborted())
            .withProgressSince(seen.progressSince()), stable, stable);
        return abortedState(seen.aborted().map(Bookkeeping.Abort::reason).orElse(null),
            seen.aborted().map(Bookkeeping.Abort::message).orElse(null));
      }
      boolean retried = targetAborted;

      if (rolling == null || !target.equals(current) || retried) {
        return newTemplate(ann, retried);
      }

      // The template is the target's: watch the Deployment controller roll it.
      boolean resumed = seen.paused() && !plan.paused();
      Instant since = resumed ? now : seen.progressSince().orElse(now);
      ann = ann.withProgressSince(since);
      boolean complete = rolling.rolledOut() && rolling.specReplicas() == app.replicas()
          && rolling.updatedReplicas() >= app.replicas() && available() >= app.replicas();
      boolean rollout = stable != null && !stable.equals(target);

      if (complete) {
        putRolling(ann, target, target);
        // A first deploy is no promotion (status history says Deployed, as for blue/green).
        if (stable != null && !target.equals(stable)) {
          plan.promoted(target);
          plan.event(PlannedEvent.normal("Promoted", "Revision " + rev + " is rolled out: "
              + counts() + "."));
        }
        String msg = "Revision " + rev + " serves with " + available() + "/" + app.replicas()
            + " pods available.";
        plan.condition(AVAILABLE, true, "AllReplicasAvailable", msg);
        plan.condition(PROGRESSING, true, "RolloutComplete", msg);
        plan.condition(DEGRADED, false, "Healthy", msg);
        pausedCondition();
        // The completion is a status write only: the Deployment is not touched, so Healthy at once.
        return new Step(Phase.Healthy, msg, KEY, target, Optional.empty());
      }
      if (rollout) {
        return rollingIn(ann, since);
      }

      // No template change in flight: first deploy, a scale change, a restart or lost pods.
      putRolling(ann, target, stable);
      boolean lost = stable != null && rolling.rolledOut()
          && rolling.specReplicas() == app.replicas();
      String msg = (lost ? "The live revision " + rev + " has only " : "Revision " + rev
          + " has ") + available() + "/" + app.replicas() + " pods available ("
          + rolling.updatedReplicas() + " updated)." + problems();
      if (lost) {
        plan.condition(AVAILABLE, false, "ReplicasUnavailable", msg);
        plan.condition(PROGRESSING, true, "RolloutComplete", msg);
        plan.condition(DEGRADED, true, "ReplicasUnavailable", msg);
        pausedCondition();
        return new Step(Phase.Degraded, msg, KEY, target, Optional.empty());
      }
      plan.condition(AVAILABLE, available() >= app.replicas() && available() > 0, "ScalingUp",
          msg);
      plan.condition(PROGRESSING, true, "ReplicaSetUpdated", msg);
      plan.condition(DEGRADED, false, "Progressing", msg);
      pausedCondition();
      return new Step(Phase.Progressing, msg, KEY, target, Optional.empty());
    }

    /** A new template (or the first one, or a retry): write it, unless paused. */
    private Step newTemplate(Bookkeeping ann, boolean retried) {
      int rev = plan.rev(target);
      if (rolling != null && plan.paused()) {
        putRolling(ann.withProgressSince(seen.progressSince()), current, stable);
        String msg = BlueGreenPlanner.PAUSED_BY + " Revision " + rev + " waits; revision "
            + plan.rev(servingHash()) + " serves.";
        availableCondition(counts() + ".");
        plan.condition(PAUSED, true, "Paused", msg);
        plan.condition(PROGRESSING, true, "Paused", msg);
        return new Step(Phase.Paused, msg, KEY, servingHash(), Optional.empty());
      }
      putRolling(ann.withProgressSince(now), target, stable);
      // Recorded already: the template waits (for its expand migration), it did not start anew.
      boolean recorded = !retried && rolling != null
          && seen.rolloutTarget().filter(target::equals).isPresent();
      if (!recorded && rolling == null) {
        plan.event(PlannedEvent.normal("Deploying", "Deploying revision " + rev + " with "
            + app.replicas() + " pods in Deployment " + app.name() + "."));
      } else if (!recorded) {
        plan.event(PlannedEvent.normal("RolloutStarted", "Rolling out revision " + rev
            + " over revision " + plan.rev(servingHash()) + " (maxSurge " + str(app.maxSurge())
            + ", maxUnavailable " + str(app.maxUnavailable()) + ")."));
      }
      boolean over = stable != null && !stable.equals(target);
      if (over) {
        plan.wakeAt(now.plus(app.progressDeadline()));
      }
      String msg = "Rolling out revision " + rev + ": starting"
          + (over ? "; revision " + plan.rev(stable) + " serves." : ".");
      availableCondition(msg);
      plan.condition(PROGRESSING, true, "NewRevisionProgressing", msg);
      plan.condition(DEGRADED, false, "Progressing", msg);
      pausedCondition();
      return new Step(Phase.Progressing, msg, KEY, servingHash(),
          over ? Optional.of(target) : Optional.empty());
    }

    /** The target's template rolls in over the stable revision: abort, pause or wait. */
    private Step rollingIn(Bookkeeping ann, Instant since) {
      int rev = plan.rev(target);
      String progress = "Revision " + rev + ": " + counts() + "; revision " + plan.rev(stable)
          + " serves the rest.";
      if (cmd.abort()) {
        return abort(ann, RolloutAbort.BY_USER, "Rollout of revision " + rev
            + " aborted by request (" + counts() + ").");
      }
      if (plan.paused()) {
        putRolling(ann, target, stable);
        String msg = BlueGreenPlanner.PAUSED_BY + " " + progress;
        availableCondition(progress);
        plan.condition(PAUSED, true, "Paused", msg);
        plan.condition(PROGRESSING, true, "Paused", msg);
        return new Step(Phase.Paused, msg, KEY, stable, Optional.of(target));
      }
      Instant deadline = since.plus(app.progressDeadline());
      if (!now.isBefore(deadline)) {
        return abort(ann, "ProgressDeadlineExceeded", "Revision " + rev
            + " was not rolled out within " + app.progressDeadline().toSeconds() + "s: "
            + counts() + "." + problems());
      }
      plan.wakeAt(deadline);
      putRolling(ann, target, stable);
      String msg = "Rolling out revision " + rev + ": " + counts() + "; revision "
          + plan.rev(stable) + " serves the rest." + problems();
      availableCondition(msg);
      plan.condition(PROGRESSING, true, "NewRevisionProgressing", msg);
      plan.condition(DEGRADED, false, "Progressing", msg);
      pausedCondition();
      return new Step(Phase.Progressing, msg, KEY, stable, Optional.of(target));
    }

    /** Writes the stable template back (the old ReplicaSet scales up again). */
    private Step abort(Bookkeeping ann, String reason, String message) {
      Bookkeeping aborted = RolloutAbort.decide(plan, ann.withAbortedHash(target), target, reason,
          message, "Rolling back to revision " + plan.rev(stable) + ".");
      putRolling(aborted.withProgressSince(now), stable, stable);
      return abortedState(reason, message);
    }

    private Step abortedState(String reason, String message) {
      RolloutAbort.Report r = RolloutAbort.report(plan, reason, message, "Back on revision "
          + plan.rev(stable) + " (" + counts() + ")", plan.rev(stable),
          available() >= app.replicas());
      return new Step(r.phase(), r.message(), KEY, stable, Optional.empty());
    }

    /** The rolling Deployment at full size running {@code template} (null: keep its template). */
    private void putRolling(Bookkeeping ann, String template, String stableHash) {
      String serving = stableHash != null ? stableHash : template;
      int revision = serving != null ? plan.rev(serving) : rolling.revision();
      Bookkeeping b = ann;
      if (template != null) {
        b = b.withTemplateHash(template);
      }
      if (stableHash != null) {
        b = b.withStableHash(stableHash);
      }
      if (rolling != null && plan.paused()) {
        b = b.withPaused(true);
      }
      plan.keep(KEY, revision, app.replicas(), b);
    }

    /** With no active Service, the newest fully available per-revision version may serve. */
    private Optional<String> newestServingVersion() {
      return s.versions().values().stream()
          .filter(v -> !v.hash().equals(KEY))
          .filter(v -> v.isAvailableAt(app.replicas()) && v.bookkeeping().served())
          .max(Comparator.comparingInt(VersionState::revision))
          .map(VersionState::hash);
    }

    private void availableCondition(String msg) {
      boolean all = available() >= app.replicas();
      plan.condition(AVAILABLE, all, all ? "AllReplicasAvailable" : "ReplicasUnavailable", msg);
    }

    private void pausedCondition() {
      boolean paused = plan.paused();
      plan.condition(PAUSED, paused, paused ? "Paused" : "Running",
          paused ? BlueGreenPlanner.PAUSED_BY : "Not paused.");
    }

    /** The revision the rolling Deployment serves now: stable, else its current template. */
    private String servingHash() {
      return stable != null ? stable : current != null ? current : target;
    }

    private int available() {
      return rolling == null ? 0 : rolling.availableReplicas();
    }

    private String counts() {
      return RollingSwitchIn.counts(app, rolling);
    }

    private String problems() {
      return BlueGreenPlanner.problems(rolling);
    }

    private static String str(IntOrString v) {
      return v.getStrVal() != null ? v.getStrVal() : String.valueOf(v.getIntVal());
    }
  }

  private static final String AVAILABLE = BlueGreenPlanner.AVAILABLE;
  private static final String PROGRESSING = BlueGreenPlanner.PROGRESSING;
  private static final String PAUSED = BlueGreenPlanner.PAUSED;
  private static final String DEGRADED = BlueGreenPlanner.DEGRADED;
}
