package dev.baton.planning;

import dev.baton.api.v1alpha1.Phase;
import dev.baton.planning.Plan.ConditionState;
import dev.baton.planning.Plan.Outcome;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 * while old and new pods mix. Which revision it runs is bookkeeping on the Deployment:
 * <ul>
 *   <li>{@link Labels#TEMPLATE_HASH}: the revision in its pod template now (rolling in or done);
 *   <li>{@link Labels#STABLE_HASH}: the last revision it rolled out completely, the one an abort
 *       goes back to (its template comes from the revision history);
 *   <li>{@link Labels#PROGRESS_SINCE}: when the current template was written (deadline start);
 *   <li>{@link Labels#ABORTED_HASH} and the abort reason: a revision not to roll again until a
 *       retry or a new template;
 *   <li>{@link Labels#REVISION}: the revision that serves (the stable one), so that "undo to the
 *       previous revision" means the one before it, as for blue/green.
 * </ul>
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
   * The observed Deployment behind a revision hash: the rolling Deployment when it runs that
   * revision (or {@code hash} is {@link Labels#ROLLING}), else the revision's own Deployment.
   */
  public static VersionState stateOf(Snapshot s, String hash) {
    VersionState rolling = s.versions().get(KEY);
    if (hash == null) {
      return null;
    }
    if (rolling == null || hash.equals(KEY)) {
      return s.versions().get(hash);
    }
    boolean runs = hash.equals(rolling.annotations().get(Labels.TEMPLATE_HASH))
        || hash.equals(rolling.annotations().get(Labels.STABLE_HASH));
    if (runs && s.activeHash().filter(KEY::equals).isPresent()) {
      return rolling;
    }
    VersionState own = s.versions().get(hash);
    return own != null || !runs ? own : rolling;
  }

  /** A hash for status: {@link Labels#ROLLING} becomes the revision the rolling Deployment serves. */
  public static String revisionHashOf(Snapshot s, String hash) {
    VersionState rolling = s.versions().get(KEY);
    if (!KEY.equals(hash) || rolling == null) {
      return hash;
    }
    String stable = rolling.annotations().get(Labels.STABLE_HASH);
    if (stable != null) {
      return stable;
    }
    return s.stored().stream().filter(r -> r.revision() == rolling.revision())
        .map(StoredRevision::hash).findFirst()
        .orElse(rolling.annotations().getOrDefault(Labels.TEMPLATE_HASH, hash));
  }

  /**
   * The result of the rolling step.
   *
   * @param activeSelects what the active Service selects
   * @param live the revision that serves after this plan
   * @param preview the revision rolling in, if any
   */
  private record Step(Phase phase, String message, String activeSelects, String live,
      Optional<String> preview) {}

  /** The working state of one planning pass. */
  private static final class Planning {
    private final Snapshot s;
    private final TargetResolver.Resolution resolution;
    private final AppSettings app;
    private final Commands cmd;
    private final Instant now;
    private final String target;
    private final VersionState rolling;
    private final String current;
    private final String stable;
    private final Map<String, DesiredVersion> desired = new LinkedHashMap<>();
    private final List<PlannedEvent> events = new ArrayList<>();
    private final List<ConditionState> conditions = new ArrayList<>();
    private Instant wakeUp;
    private Optional<String> promoted = Optional.empty();
    private Optional<String> aborted = Optional.empty();
    private String abortReason;

    Planning(Snapshot s, TargetResolver.Resolution resolution) {
      this.s = s;
      this.resolution = resolution;
      this.app = s.app();
      this.cmd = s.commands();
      this.now = s.now();
      this.target = resolution.target().hash();
      this.rolling = s.versions().get(KEY);
      this.current = rolling == null ? null : rolling.annotations().get(Labels.TEMPLATE_HASH);
      this.stable = rolling == null ? null : rolling.annotations().get(Labels.STABLE_HASH);
    }

    Plan run() {
      resolution.event().ifPresent(events::add);
      Optional<String> serving = s.activeHash().filter(s.versions()::containsKey);
      if (serving.isEmpty()) {
        serving = rolling != null ? Optional.of(KEY) : newestServingVersion();
      }
      Step step = serving.isPresent() && !serving.get().equals(KEY)
          ? switchIn(serving.get()) : rollingUpdate();
      retireOthers();
      List<String> deletions = deletions();
      RevisionHistory.Changes history = RevisionHistory.plan(s.stored(), resolution.target(),
          rev(target), step.live(), rev(step.live()), app.revisionHistoryLimit());
      return new Plan(
          false,
          resolution.target(),
          resolution.pin(),
          history.store(),
          history.delete(),
          List.copyOf(desired.values()),
          deletions,
          Optional.of(step.activeSelects()),
          // The preview Service follows the rolling Deployment: there is no separate preview.
          Optional.of(desired.containsKey(KEY) && desired.get(KEY).replicas() > 0
              ? KEY : step.activeSelects()),
          new Outcome(step.phase(), step.message(), conditions, Optional.of(step.live()),
              step.preview(), promoted, aborted, abortReason),
          events,
          Optional.ofNullable(wakeUp).map(t -> Duration.between(now, t))
              .map(d -> d.isNegative() ? Duration.ZERO : d),
          cmd.anyOneShot(),
          resolution.consumeUndo(),
          TrafficPlan.allToActive(s));
    }

    /** The rolling Deployment serves (or the app is new): roll its template towards the target. */
    private Step rollingUpdate() {
      Map<String, String> ann = new HashMap<>();
      String promotedAt = rolling == null ? null : rolling.annotations().get(Labels.PROMOTED_AT);
      ann.put(Labels.PROMOTED_AT, promotedAt != null ? promotedAt : now.toString());
      int rev = rev(target);

      boolean targetAborted = rolling != null && stable != null
          && target.equals(rolling.annotations().get(Labels.ABORTED_HASH));
      if (targetAborted && !cmd.retry()) {
        RollbackWindow.copy(rolling, ann, Labels.ABORTED_HASH, Labels.ABORTED,
            Labels.ABORTED_MESSAGE, Labels.ABORTED_AT, Labels.PROGRESS_SINCE);
        putRolling(ann, stable, stable);
        return abortedState(rolling.annotations().get(Labels.ABORTED),
            rolling.annotations().get(Labels.ABORTED_MESSAGE));
      }
      boolean retried = targetAborted;

      if (rolling == null || !target.equals(current) || retried) {
        // A new template (or the first one, or a retry).
        if (rolling != null && paused()) {
          RollbackWindow.copy(rolling, ann, Labels.PROGRESS_SINCE);
          putRolling(ann, current, stable);
          String msg = pausedBy() + " Revision " + rev + " waits; revision " + rev(servingHash())
              + " serves.";
          conditions.add(new ConditionState(AVAILABLE, available() >= app.replicas(),
              available() >= app.replicas() ? "AllReplicasAvailable" : "ReplicasUnavailable",
              counts() + "."));
          conditions.add(new ConditionState(PAUSED, true, "Paused", msg));
          conditions.add(new ConditionState(PROGRESSING, true, "Paused", msg));
          return new Step(Phase.Paused, msg, KEY, servingHash(), Optional.empty());
        }
        ann.put(Labels.PROGRESS_SINCE, now.toString());
        putRolling(ann, target, stable);
        // Recorded already: the template waits (for its expand migration), it did not start anew.
        boolean recorded = !retried && rolling != null
            && target.equals(rolling.annotations().get(Labels.ROLLOUT_TARGET));
        if (!recorded && rolling == null) {
          events.add(PlannedEvent.normal("Deploying", "Deploying revision " + rev + " with "
              + app.replicas() + " pods in Deployment " + app.name() + "."));
        } else if (!recorded) {
          events.add(PlannedEvent.normal("RolloutStarted", "Rolling out revision " + rev
              + " over revision " + rev(servingHash()) + " (maxSurge " + str(app.maxSurge())
              + ", maxUnavailable " + str(app.maxUnavailable()) + ")."));
        }
        if (stable != null && !stable.equals(target)) {
          wakeAt(now.plus(app.progressDeadline()));
        }
        String msg = "Rolling out revision " + rev + ": starting"
            + (stable == null || stable.equals(target) ? "." : "; revision " + rev(stable)
                + " serves.");
        runningConditions(msg, "NewRevisionProgressing");
        return new Step(Phase.Progressing, msg, KEY, servingHash(),
            stable == null || stable.equals(target) ? Optional.empty() : Optional.of(target));
      }

      // The template is the target's: watch the Deployment controller roll it.
      boolean resumed = rolling.has(Labels.ROLLOUT_PAUSED) && !paused();
      Instant since = resumed ? now : rolling.instant(Labels.PROGRESS_SINCE).orElse(now);
      ann.put(Labels.PROGRESS_SINCE, since.toString());
      boolean complete = rolling.rolledOut() && rolling.specReplicas() == app.replicas()
          && rolling.updatedReplicas() >= app.replicas() && available() >= app.replicas();
      boolean rollout = stable != null && !stable.equals(target);

      if (complete) {
        putRolling(ann, target, target);
        // A first deploy is no promotion (status history says Deployed, as for blue/green).
        if (stable != null && !target.equals(stable)) {
          promoted = Optional.of(target);
          events.add(PlannedEvent.normal("Promoted", "Revision " + rev + " is rolled out: "
              + counts() + "."));
        }
        String msg = "Revision " + rev + " serves with " + available() + "/" + app.replicas()
            + " pods available.";
        conditions.add(new ConditionState(AVAILABLE, true, "AllReplicasAvailable", msg));
        conditions.add(new ConditionState(PROGRESSING, true, "RolloutComplete", msg));
        conditions.add(new ConditionState(DEGRADED, false, "Healthy", msg));
        pausedCondition();
        // The completion is a status write only: the Deployment is not touched, so Healthy at once.
        return new Step(Phase.Healthy, msg, KEY, target, Optional.empty());
      }
      if (rollout) {
        String progress = "Revision " + rev + ": " + counts() + "; revision " + rev(stable)
            + " serves the rest.";
        if (cmd.abort()) {
          return abort(ann, "AbortedByUser", "Rollout of revision " + rev
              + " aborted by request (" + counts() + ").");
        }
        if (paused()) {
          putRolling(ann, target, stable);
          String msg = pausedBy() + " " + progress;
          conditions.add(new ConditionState(AVAILABLE, available() >= app.replicas(),
              available() >= app.replicas() ? "AllReplicasAvailable" : "ReplicasUnavailable",
              progress));
          conditions.add(new ConditionState(PAUSED, true, "Paused", msg));
          conditions.add(new ConditionState(PROGRESSING, true, "Paused", msg));
          return new Step(Phase.Paused, msg, KEY, stable, Optional.of(target));
        }
        Instant deadline = since.plus(app.progressDeadline());
        if (!now.isBefore(deadline)) {
          return abort(ann, "ProgressDeadlineExceeded", "Revision " + rev
              + " was not rolled out within " + app.progressDeadline().toSeconds() + "s: "
              + counts() + "." + problems());
        }
        wakeAt(deadline);
        putRolling(ann, target, stable);
        String msg = "Rolling out revision " + rev + ": " + counts() + "; revision "
            + rev(stable) + " serves the rest." + problems();
        runningConditions(msg, "NewRevisionProgressing");
        return new Step(Phase.Progressing, msg, KEY, stable, Optional.of(target));
      }

      // No template change in flight: first deploy, a scale change, a restart or lost pods.
      putRolling(ann, target, stable);
      boolean lost = stable != null && rolling.rolledOut()
          && rolling.specReplicas() == app.replicas();
      String msg = (lost ? "The live revision " + rev + " has only " : "Revision " + rev
          + " has ") + available() + "/" + app.replicas() + " pods available ("
          + rolling.updatedReplicas() + " updated)." + problems();
      if (lost) {
        conditions.add(new ConditionState(AVAILABLE, false, "ReplicasUnavailable", msg));
        conditions.add(new ConditionState(PROGRESSING, true, "RolloutComplete", msg));
        conditions.add(new ConditionState(DEGRADED, true, "ReplicasUnavailable", msg));
        pausedCondition();
        return new Step(Phase.Degraded, msg, KEY, target, Optional.empty());
      }
      conditions.add(new ConditionState(AVAILABLE,
          available() >= app.replicas() && available() > 0, "ScalingUp", msg));
      conditions.add(new ConditionState(PROGRESSING, true, "ReplicaSetUpdated", msg));
      conditions.add(new ConditionState(DEGRADED, false, "Progressing", msg));
      pausedCondition();
      return new Step(Phase.Progressing, msg, KEY, target, Optional.empty());
    }

    private Step abort(Map<String, String> ann, String reason, String message) {
      ann.put(Labels.ABORTED_HASH, target);
      ann.put(Labels.ABORTED, reason);
      ann.put(Labels.ABORTED_MESSAGE, message);
      ann.put(Labels.ABORTED_AT, now.toString());
      ann.put(Labels.PROGRESS_SINCE, now.toString());
      putRolling(ann, stable, stable);
      aborted = Optional.of(target);
      abortReason = reason;
      events.add(PlannedEvent.warning("RolloutAborted", message + " Rolling back to revision "
          + rev(stable) + "."));
      return abortedState(reason, message);
    }

    private Step abortedState(String reason, String message) {
      boolean byUser = "AbortedByUser".equals(reason);
      String msg = message + " Back on revision " + rev(stable) + " (" + counts()
          + "); change the spec or annotate " + Commands.RETRY + " to try again.";
      conditions.clear();
      conditions.add(new ConditionState(AVAILABLE, available() >= app.replicas(),
          available() >= app.replicas() ? "AllReplicasAvailable" : "ReplicasUnavailable",
          "Revision " + rev(stable) + " serves."));
      conditions.add(new ConditionState(PROGRESSING, false, reason, msg));
      conditions.add(new ConditionState(DEGRADED, !byUser, reason, msg));
      conditions.add(new ConditionState(PAUSED, false, "Running", "Not paused."));
      return new Step(byUser ? Phase.Aborted : Phase.Degraded, msg, KEY, stable,
          Optional.empty());
    }

    /**
     * A per-revision Deployment {@code live} serves (the app used blue/green): bring the target up
     * in the rolling Deployment at full size, then move the active Service in one write.
     */
    private Step switchIn(String live) {
      keepServing(live);
      int rev = rev(target);
      Map<String, String> ann = new HashMap<>();
      ann.put(Labels.REVISION, Integer.toString(rev));
      boolean targetAborted = rolling != null
          && target.equals(rolling.annotations().get(Labels.ABORTED_HASH));
      if (targetAborted && !cmd.retry()) {
        RollbackWindow.copy(rolling, ann, Labels.ABORTED_HASH, Labels.ABORTED,
            Labels.ABORTED_MESSAGE, Labels.ABORTED_AT, Labels.TEMPLATE_HASH);
        desired.put(KEY, new DesiredVersion(KEY, rev, 0, ann, restart()));
        return switchAborted(live, rolling.annotations().get(Labels.ABORTED),
            rolling.annotations().get(Labels.ABORTED_MESSAGE));
      }
      boolean retried = targetAborted;
      if (paused()) {
        if (rolling != null) {
          ann.putAll(rolling.annotations());
          ann.put(Labels.ROLLOUT_PAUSED, "true");
          desired.put(KEY, new DesiredVersion(KEY, rolling.revision(), rolling.specReplicas(),
              ann, restart()));
        }
        String msg = pausedBy() + " Revision " + rev + " waits to move to the rolling "
            + "Deployment; revision " + rev(live) + " serves.";
        conditions.add(new ConditionState(PAUSED, true, "Paused", msg));
        conditions.add(new ConditionState(PROGRESSING, true, "Paused", msg));
        return new Step(Phase.Paused, msg, live, live, Optional.of(target));
      }
      conditions.add(new ConditionState(PAUSED, false, "Running", "Not paused."));
      conditions.add(new ConditionState(AVAILABLE, true, "AllReplicasAvailable",
          "Revision " + rev(live) + " serves while revision " + rev
              + " starts in Deployment " + app.name() + "."));
      // Sized or templated anew, or just resumed: the deadline counts from now.
      boolean fresh = rolling == null || retried || !target.equals(current)
          || rolling.specReplicas() != app.replicas() || rolling.has(Labels.ROLLOUT_PAUSED);
      Instant since = fresh ? now : rolling.instant(Labels.PROGRESS_SINCE).orElse(now);
      if (fresh && (rolling == null || retried || !target.equals(current))) {
        events.add(PlannedEvent.normal("RolloutStarted", "Moving to the rolling strategy: "
            + "revision " + rev + " starts in Deployment " + app.name() + " at full size beside "
            + "live revision " + rev(live) + "."));
      }
      ann.put(Labels.TEMPLATE_HASH, target);
      ann.put(Labels.PROGRESS_SINCE, since.toString());
      boolean ready = !fresh && rolling.isAvailableAt(app.replicas())
          && rolling.updatedReplicas() >= app.replicas();
      if (ready) {
        ann.put(Labels.PROMOTED_AT, now.toString());
        ann.put(Labels.STABLE_HASH, target);
        desired.put(KEY, new DesiredVersion(KEY, rev, app.replicas(), ann, restart()));
        promoted = Optional.of(target);
        String msg = "Switched traffic to revision " + rev + " in the rolling Deployment "
            + app.name() + "; revision " + rev(live) + " is retired after its window.";
        events.add(PlannedEvent.normal("Promoted", msg));
        conditions.add(new ConditionState(PROGRESSING, true, "Promoted", msg));
        conditions.add(new ConditionState(DEGRADED, false, "Promoted", msg));
        return new Step(Phase.Progressing, msg, KEY, target, Optional.empty());
      }
      String reasonAbort = cmd.abort() ? "AbortedByUser" : null;
      Instant deadline = since.plus(app.progressDeadline());
      String counts = rolling == null || fresh ? "no pods yet" : counts();
      if (reasonAbort == null && !now.isBefore(deadline)) {
        reasonAbort = "ProgressDeadlineExceeded";
      }
      if (reasonAbort != null) {
        String message = reasonAbort.equals("AbortedByUser")
            ? "Move of revision " + rev + " to the rolling Deployment aborted by request."
            : "Revision " + rev + " was not available in Deployment " + app.name() + " within "
                + app.progressDeadline().toSeconds() + "s: " + counts + "." + problems();
        ann.put(Labels.ABORTED_HASH, target);
        ann.put(Labels.ABORTED, reasonAbort);
        ann.put(Labels.ABORTED_MESSAGE, message);
        ann.put(Labels.ABORTED_AT, now.toString());
        desired.put(KEY, new DesiredVersion(KEY, rev, 0, ann, restart()));
        aborted = Optional.of(target);
        abortReason = reasonAbort;
        events.add(PlannedEvent.warning("RolloutAborted", message + " Revision " + rev(live)
            + " keeps serving."));
        return switchAborted(live, reasonAbort, message);
      }
      wakeAt(deadline);
      desired.put(KEY, new DesiredVersion(KEY, rev, app.replicas(), ann, restart()));
      String msg = "Moving to the rolling strategy: revision " + rev + " in Deployment "
          + app.name() + ": " + counts + "; revision " + rev(live) + " serves." + problems();
      conditions.add(new ConditionState(PROGRESSING, true, "NewRevisionProgressing", msg));
      conditions.add(new ConditionState(DEGRADED, false, "Progressing", msg));
      return new Step(Phase.Progressing, msg, live, live, Optional.of(target));
    }

    private Step switchAborted(String live, String reason, String message) {
      boolean byUser = "AbortedByUser".equals(reason);
      String msg = message + " Revision " + rev(live) + " serves; change the spec or annotate "
          + Commands.RETRY + " to try again.";
      conditions.clear();
      conditions.add(new ConditionState(AVAILABLE, true, "AllReplicasAvailable",
          "Revision " + rev(live) + " serves."));
      conditions.add(new ConditionState(PROGRESSING, false, reason, msg));
      conditions.add(new ConditionState(DEGRADED, !byUser, reason, msg));
      conditions.add(new ConditionState(PAUSED, false, "Running", "Not paused."));
      return new Step(byUser ? Phase.Aborted : Phase.Degraded, msg, live, live, Optional.empty());
    }

    /** Keeps a serving per-revision Deployment at full size (as blue/green keeps its live one). */
    private void keepServing(String hash) {
      VersionState v = s.versions().get(hash);
      Map<String, String> ann = new HashMap<>();
      ann.put(Labels.REVISION, Integer.toString(rev(hash)));
      String promotedAt = v.annotations().get(Labels.PROMOTED_AT);
      ann.put(Labels.PROMOTED_AT, promotedAt != null ? promotedAt : now.toString());
      desired.put(hash, new DesiredVersion(hash, rev(hash), app.replicas(), ann, restart()));
    }

    /** The rolling Deployment at full size running {@code template} (null: keep its template). */
    private void putRolling(Map<String, String> ann, String template, String stableHash) {
      String serving = stableHash != null ? stableHash : template;
      int revision = serving != null ? rev(serving) : rolling.revision();
      ann.put(Labels.REVISION, Integer.toString(revision));
      if (template != null) {
        ann.put(Labels.TEMPLATE_HASH, template);
      }
      if (stableHash != null) {
        ann.put(Labels.STABLE_HASH, stableHash);
      }
      if (rolling != null && paused()) {
        ann.put(Labels.ROLLOUT_PAUSED, "true");
      }
      desired.put(KEY, new DesiredVersion(KEY, revision, app.replicas(), ann, restart()));
    }

    /** Per-revision Deployments left from blue/green: keep warm through the window, then zero. */
    private void retireOthers() {
      for (VersionState v : s.versions().values()) {
        if (!desired.containsKey(v.hash())) {
          RollbackWindow.Retirement r = RollbackWindow.retire(v, now, app.scaleDownDelay(),
              restart());
          desired.put(v.hash(), r.desired());
          r.wakeAt().ifPresent(this::wakeAt);
          r.event().ifPresent(events::add);
        }
      }
    }

    /** Retired per-revision Deployments already at zero go; never the one the Service selects. */
    private List<String> deletions() {
      List<String> delete = new ArrayList<>();
      for (VersionState v : s.versions().values()) {
        DesiredVersion d = desired.get(v.hash());
        boolean selected = s.activeHash().filter(v.hash()::equals).isPresent();
        if (!v.hash().equals(KEY) && !selected && d != null && d.replicas() == 0
            && v.specReplicas() == 0) {
          delete.add(v.hash());
          desired.remove(v.hash());
        }
      }
      return delete;
    }

    /** With no active Service, the newest fully available per-revision version may serve. */
    private Optional<String> newestServingVersion() {
      return s.versions().values().stream()
          .filter(v -> !v.hash().equals(KEY))
          .filter(v -> v.isAvailableAt(app.replicas()) && v.has(Labels.PROMOTED_AT))
          .max(Comparator.comparingInt(VersionState::revision))
          .map(VersionState::hash);
    }

    private void runningConditions(String msg, String reason) {
      conditions.add(new ConditionState(AVAILABLE, available() >= app.replicas(),
          available() >= app.replicas() ? "AllReplicasAvailable" : "ReplicasUnavailable", msg));
      conditions.add(new ConditionState(PROGRESSING, true, reason, msg));
      conditions.add(new ConditionState(DEGRADED, false, "Progressing", msg));
      pausedCondition();
    }

    private void pausedCondition() {
      conditions.add(new ConditionState(PAUSED, paused(), paused() ? "Paused" : "Running",
          paused() ? pausedBy() : "Not paused."));
    }

    /** The revision the rolling Deployment serves now: stable, else its current template. */
    private String servingHash() {
      return stable != null ? stable : current != null ? current : target;
    }

    private int available() {
      return rolling == null ? 0 : rolling.availableReplicas();
    }

    private String counts() {
      if (rolling == null) {
        return "0/" + app.replicas() + " pods updated, 0 available";
      }
      return rolling.updatedReplicas() + "/" + app.replicas() + " pods updated, "
          + rolling.availableReplicas() + "/" + app.replicas() + " available";
    }

    private String problems() {
      return rolling == null || rolling.podProblems() == null || rolling.podProblems().isEmpty()
          ? "" : " " + rolling.podProblems();
    }

    private int rev(String hash) {
      return s.revisionOf(hash);
    }

    private boolean paused() {
      return app.paused() || cmd.paused();
    }

    private String restart() {
      return cmd.restart().orElse(null);
    }

    private void wakeAt(Instant t) {
      if (wakeUp == null || t.isBefore(wakeUp)) {
        wakeUp = t;
      }
    }

    private static String pausedBy() {
      return "Paused (spec.paused or the " + Commands.PAUSED + " annotation).";
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
