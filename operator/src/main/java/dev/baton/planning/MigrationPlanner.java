package dev.baton.planning;

import dev.baton.api.v1alpha1.MigrationSpec;
import dev.baton.api.v1alpha1.MigrationStatus;
import dev.baton.api.v1alpha1.MigrationStatus.Kind;
import dev.baton.api.v1alpha1.MigrationStatus.State;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.planning.MigrationSnapshot.ObservedJob;
import dev.baton.planning.Plan.ConditionState;
import dev.baton.planning.Plan.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Ties schema migrations to a rollout, whatever the strategy: it wraps the strategy planner's
 * decision (a pure {@code Snapshot -> Plan} function) and changes it only where a migration says
 * so.
 *
 * <p><b>The expand gate.</b> A revision that has never served (a rollout, or the first deploy)
 * does not get a single pod until its {@code expand} Job has succeeded: its Deployment is created
 * at zero replicas, the Job is created once that Deployment exists (so the role Services the Job
 * connects to exist too), and the revision's Deployment stays at zero, without the strategy's
 * timers, until the Job succeeds. No strategy sends traffic to a version without available pods,
 * so the gate holds for blue/green, canary and rolling alike. While it holds, the progress
 * deadline does not run (the Job's activeDeadlineSeconds bounds the wait).
 *
 * <table>
 *   <tr><th>expand Job of the target</th><th>target Deployment</th><th>plan</th></tr>
 *   <tr><td>not created, Deployment absent</td><td>created at 0</td><td>hold</td></tr>
 *   <tr><td>not created, Deployment present</td><td>0</td><td>create the Job, hold</td></tr>
 *   <tr><td>Pending or Running</td><td>0</td><td>hold</td></tr>
 *   <tr><td>Succeeded</td><td>as the strategy says</td><td>the strategy's plan</td></tr>
 *   <tr><td>Failed, a live version serves</td><td>0, aborted (MigrationFailed)</td>
 *       <td>abort; the live version is untouched</td></tr>
 *   <tr><td>Failed, first deploy</td><td>0</td><td>hold, Degraded</td></tr>
 * </table>
 *
 * <p>Two migrations of an app never run at once: a Job starts only when every earlier one has
 * finished. <b>onAbort</b> runs once per attempt when the target's rollout is aborted (by
 * request, at its deadline, because expand failed) after its expand Job was created, and once
 * that Job has finished. <b>contract</b> runs once per revision when
 * the revision serves at full size and every other version is at zero (scaled down after its
 * rollback window), and only for a revision whose expand succeeded (when expand is configured).
 *
 * <p><b>Exactly once.</b> Job names are fixed by revision, phase and attempt
 * ({@link MigrationJob#nameOf}); a Job is only created, never updated. The Job is the record;
 * {@code status.migrations} is the second one, so a Job deleted by hand is not run again (one
 * deleted before it finished counts as failed). A retry of an aborted rollout whose expand failed
 * or was undone by onAbort starts attempt n+1, with new Job names.
 */
public final class MigrationPlanner {

  /** The condition type that reports the migrations of the target revision. */
  public static final String MIGRATED = "Migrated";
  /** The abort reason of a rollout whose expand Job failed. */
  public static final String MIGRATION_FAILED = "MigrationFailed";

  /**
   * The plan with the migrations applied.
   *
   * @param plan the strategy's plan, gated
   * @param create migration Jobs to create before the plan's children are applied
   * @param status {@code status.migrations} to write (null when there is nothing to show)
   * @param delete names of finished Jobs of revisions that left the history (no undo can reach
   *     them, so no gate asks about them again)
   * @param finished migrations seen finishing in this reconcile (for metrics)
   */
  public record Decision(Plan plan, List<MigrationJob> create, List<MigrationStatus> status,
      List<String> delete, List<MigrationStatus> finished) {}

  /** Plans one reconcile: the strategy's plan, then the migrations. */
  public Decision plan(Snapshot s, MigrationSnapshot m, Function<Snapshot, Plan> strategy) {
    return new Gate(s, m, strategy.apply(s)).run();
  }

  /** The working state of one pass. */
  private static final class Gate {
    private final Snapshot s;
    private final MigrationSnapshot m;
    private final MigrationSpec spec;
    private final Instant now;
    private Plan plan;
    private Instant wakeAt;
    private final List<MigrationJob> create = new ArrayList<>();
    private final List<PlannedEvent> events = new ArrayList<>();
    private final Map<String, MigrationStatus> entries = new LinkedHashMap<>();
    private final List<MigrationStatus> finished = new ArrayList<>();
    private final List<String> delete = new ArrayList<>();
    private final java.util.Set<Integer> known = new java.util.HashSet<>();
    /** The rolling strategy: one Deployment ({@link Labels#ROLLING}) runs every revision. */
    private final boolean rolling;

    Gate(Snapshot s, MigrationSnapshot m, Plan plan) {
      this.s = s;
      this.m = m;
      this.plan = plan;
      this.now = s.now();
      this.spec = s.app().database() == null ? null : s.app().database().migration;
      this.rolling = s.app().strategy() == AppSettings.Strategy.ROLLING;
    }

    /** The key of the Deployment that runs {@code target}: its own, or the rolling one. */
    private String key(String target) {
      return rolling ? Labels.ROLLING : target;
    }

    /** The revision in the rolling Deployment's pod template now, if it exists. */
    private String rollingTemplate() {
      VersionState r = s.versions().get(Labels.ROLLING);
      return r == null ? null : r.bookkeeping().templateHash().orElse(null);
    }

    /**
     * True when the rolling Deployment runs the target's template at zero pods: the gate created
     * it so (a first deploy), rather than the Deployment rolling it out already.
     */
    private boolean heldByGate() {
      VersionState r = s.versions().get(Labels.ROLLING);
      return r != null && r.specReplicas() == 0;
    }

    /** True when the plan aborts the target, or keeps it aborted. */
    private boolean abortedInPlan(String target) {
      return desired(key(target)).map(DesiredVersion::bookkeeping)
          .filter(b -> b.aborted().isPresent()
              && (!rolling || b.abortedHash().filter(target::equals).isPresent()))
          .isPresent();
    }

    /** The rolling Deployment has rolled {@code target} out completely and the plan keeps it. */
    private boolean rollingServes(String target, VersionState r) {
      return desired(Labels.ROLLING).map(DesiredVersion::bookkeeping)
          .filter(b -> b.stableHash().filter(target::equals).isPresent()
              && b.templateHash().filter(target::equals).isPresent()).isPresent()
          && r.updatedReplicas() >= s.app().replicas();
    }

    /**
     * The rolling strategy replaces the old pods as it goes: its rollback window is the app's
     * scale-down delay after the promotion (the other strategies wait for the old version to be
     * scaled down, which happens at the end of its window).
     */
    private boolean rollbackWindowPassed(VersionState tv) {
      if (!rolling || tv == null) {
        return true;
      }
      // The record's promotion time is the stable revision's; a rollout completing in this very
      // reconcile (the record still names the previous one) starts its window now.
      boolean recorded = tv.bookkeeping().stableHash().filter(plan.target().hash()::equals)
          .isPresent();
      Instant promoted = recorded ? tv.bookkeeping().promotedAt().orElse(now) : now;
      Instant end = promoted.plus(s.app().scaleDownDelay());
      if (now.isBefore(end)) {
        wakeAt = end;
        return false;
      }
      return true;
    }

    Decision run() {
      observe();
      if (spec != null && !plan.holdChildren()) {
        String target = plan.target().hash();
        int rev = s.revisionOf(target);
        gate(target, rev);
        onAbort(target, rev);
        contract(target, rev);
      }
      migratedCondition();
      if (!events.isEmpty()) {
        List<PlannedEvent> all = new ArrayList<>(plan.events());
        all.addAll(events);
        plan = copy(plan.versions(), plan.deleteVersions(), plan.previewHash(), plan.outcome(),
            all);
      }
      List<MigrationStatus> status = entries.values().stream()
          .sorted(Comparator.comparing((MigrationStatus e) -> instant(e.startTime),
                  Comparator.nullsLast(Comparator.reverseOrder()))
              .thenComparing(e -> e.jobName))
          .toList();
      return new Decision(plan, create, status.isEmpty() ? null : status, delete, finished);
    }

    /** Status entries from the records and the Jobs; events for Jobs seen finishing. */
    private void observe() {
      // Only revisions that can still run matter: the versions, the history and the target.
      s.versions().values().forEach(v -> known.add(v.revision()));
      s.stored().forEach(r -> known.add(r.revision()));
      known.add(s.revisionOf(plan.target().hash()));
      for (MigrationStatus r : m.recorded()) {
        if (r.jobName != null && r.revision != null && known.contains(r.revision)) {
          entries.put(r.jobName, copyOf(r));
        }
      }
      Map<String, ObservedJob> jobs = new HashMap<>();
      m.jobs().forEach(j -> jobs.put(j.name(), j));
      for (ObservedJob j : m.jobs()) {
        if (!known.contains(j.revision())) {
          if (isDone(j.state())) {
            delete.add(j.name());
          }
          continue;
        }
        MigrationStatus before = entries.get(j.name());
        MigrationStatus e = before != null ? copyOf(before) : new MigrationStatus();
        e.phase = j.phase();
        e.revision = j.revision();
        e.attempt = j.attempt();
        e.jobName = j.name();
        e.state = j.state();
        if (e.startTime == null && j.created() != null) {
          e.startTime = j.created().toString();
        }
        e.completionTime = j.finished() != null ? j.finished().toString() : null;
        e.message = j.state() == State.Failed ? failure(j.reason(), j.message()) : null;
        if (isDone(j.state()) && (before == null || !isDone(before.state))) {
          finished(e);
        }
        entries.put(j.name(), e);
      }
      // A Job deleted before it finished: it ran (or may have), so it is not created again.
      for (MigrationStatus e : entries.values()) {
        if (!jobs.containsKey(e.jobName) && !isDone(e.state)) {
          e.state = State.Failed;
          e.completionTime = now.toString();
          e.message = "The Job was deleted before it finished.";
          finished(e);
        }
      }
    }

    private void finished(MigrationStatus e) {
      finished.add(e);
      String what = label(e.phase) + " migration of revision " + e.revision + " (Job "
          + e.jobName + ")";
      events.add(e.state == State.Succeeded
          ? PlannedEvent.normal("MigrationSucceeded", what + " succeeded.")
          : PlannedEvent.warning("MigrationFailed", what + " failed: " + e.message));
    }

    // ---- expand -------------------------------------------------------------------------------

    private void gate(String target, int rev) {
      if (spec.expand == null || served(target, rev)) {
        return;
      }
      if (abortedInPlan(target)) {
        return; // aborted (now or before): already at zero (or back on the old template)
      }
      if (rolling && s.versions().containsKey(Labels.ROLLING)
          && target.equals(rollingTemplate()) && !heldByGate()) {
        return; // the rolling Deployment took the template before any gate held it: it serves
      }
      boolean firstDeploy = plan.outcome().liveHash().map(target::equals).orElse(true);
      int attempt = attempt(rev);
      Optional<MigrationStatus> expand = entry(rev, Kind.expand, attempt);
      boolean retry = s.commands().retry() && (wasAborted(target) || firstDeploy)
          && (expand.map(e -> e.state == State.Failed).orElse(false)
              || entry(rev, Kind.onAbort, attempt).isPresent());
      if (retry) {
        attempt++;
        expand = Optional.empty();
      }
      String job = MigrationJob.nameOf(s.app().name(), rev, Kind.expand, attempt);
      State state = expand.map(e -> e.state).orElse(null);
      if (state == State.Succeeded) {
        return;
      }
      if (state == State.Failed) {
        String why = "Expand migration Job " + job + " of revision " + rev + " failed: "
            + expand.get().message;
        if (firstDeploy) {
          hold(target, Phase.Degraded, why + " Nothing serves yet; fix the migration, then change"
              + " the spec or annotate " + Commands.RETRY + ".", "MigrationFailed", false);
        } else {
          abort(target, rev, why);
        }
        return;
      }
      if (state == null) {
        VersionState tv = s.versions().get(key(target));
        if (paused()) {
          hold(target, plan.outcome().phase(), plan.outcome().message(), null, true);
          return;
        }
        Optional<MigrationStatus> busy = running();
        if (busy.isPresent()) {
          hold(target, Phase.Progressing, "Revision " + rev + " waits for migration Job "
              + busy.get().jobName + " to finish before its expand migration starts.",
              "MigrationRunning", true);
          return;
        }
        if (tv != null) {
          start(MigrationJob.of(s.app().name(), rev, Kind.expand, attempt, target));
          state = State.Pending;
        }
      }
      String live = plan.outcome().liveHash().filter(h -> !h.equals(target))
          .map(h -> " Revision " + s.revisionOf(h) + " serves.").orElse("");
      hold(target, Phase.Progressing, "Revision " + rev + " waits for its expand migration (Job "
          + job + ": " + (state == null ? "about to start" : state.name()) + ")." + live,
          "MigrationRunning", true);
    }

    /** Keeps the target at zero; reports why unless the strategy reports a pause. */
    private void hold(String target, Phase phase, String message, String reason,
        boolean progressing) {
      List<DesiredVersion> versions = new ArrayList<>();
      for (DesiredVersion v : plan.versions()) {
        if (v.hash().equals(key(target))) {
          // No timer runs and nothing counts as served while the gate holds.
          Bookkeeping ann = v.bookkeeping().withPromotedAt(Optional.empty())
              .withProgressSince(Optional.empty()).withReadySince(Optional.empty())
              .withPromoting(false);
          int size = 0;
          if (rolling) {
            VersionState r = s.versions().get(Labels.ROLLING);
            String current = rollingTemplate();
            if (r != null && current != null && !current.equals(target)) {
              // The rolling Deployment keeps serving its template until expand has succeeded.
              ann = ann.withTemplateHash(current);
              size = v.replicas();
            }
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
      plan = copy(versions, plan.deleteVersions(), plan.previewHash(), out, plan.events());
    }

    /** A failed expand: the target goes to zero with the abort bookkeeping; the live serves. */
    private void abort(String target, int rev, String why) {
      String live = plan.outcome().liveHash().orElseThrow();
      List<DesiredVersion> versions = new ArrayList<>();
      for (DesiredVersion v : plan.versions()) {
        if (v.hash().equals(key(target))) {
          Bookkeeping ann = Bookkeeping.NONE.withAborted(MIGRATION_FAILED, why, now);
          int size = 0;
          if (rolling) {
            // The rolling Deployment stays on (or goes back to) the template that serves.
            Bookkeeping kept = v.bookkeeping();
            ann = ann.withStableHash(kept.stableHash()).withPromotedAt(kept.promotedAt())
                .withPaused(kept.paused())
                .withTemplateHash(kept.stableHash().or(() -> Optional.ofNullable(
                    rollingTemplate())))
                .withAbortedHash(target);
            size = v.replicas();
          }
          v = new DesiredVersion(v.hash(), v.revision(), size, ann, v.restartedAt());
        }
        versions.add(v);
      }
      String serves = "Revision " + s.revisionOf(live) + " serves";
      String message = why + " " + serves + "; change the spec or annotate " + Commands.RETRY
          + " to try again.";
      List<ConditionState> conditions = new ArrayList<>();
      conditions.add(new ConditionState(BlueGreenPlanner.AVAILABLE, true, "AllReplicasAvailable",
          serves + "."));
      conditions.add(new ConditionState(BlueGreenPlanner.PROGRESSING, false, MIGRATION_FAILED,
          message));
      conditions.add(new ConditionState(BlueGreenPlanner.DEGRADED, true, MIGRATION_FAILED,
          message));
      conditions.add(new ConditionState(BlueGreenPlanner.PAUSED, false, "Running",
          "Not paused."));
      Outcome out = plan.outcome();
      events.add(PlannedEvent.warning("RolloutAborted", why + " " + serves + " on."));
      plan = copy(versions, plan.deleteVersions(),
          rolling ? plan.previewHash() : Optional.of(live),
          new Outcome(Phase.Degraded, message, conditions, out.liveHash(), out.previewHash(),
              Optional.empty(), Optional.of(target), MIGRATION_FAILED), plan.events());
    }

    // ---- onAbort ------------------------------------------------------------------------------

    private void onAbort(String target, int rev) {
      if (spec.onAbort == null) {
        return;
      }
      int attempt = attempt(rev);
      Optional<MigrationStatus> expand = entry(rev, Kind.expand, attempt);
      if (expand.isEmpty() || !isDone(expand.get().state)
          || entry(rev, Kind.onAbort, attempt).isPresent()
          || !create.isEmpty() || running().isPresent()) {
        return;
      }
      boolean aborted = abortedInPlan(target) || expand.get().state == State.Failed;
      if (aborted) {
        start(MigrationJob.of(s.app().name(), rev, Kind.onAbort, attempt, target));
      }
    }

    // ---- contract -----------------------------------------------------------------------------

    private void contract(String target, int rev) {
      if (spec.contract == null || paused()) {
        return;
      }
      VersionState tv = s.versions().get(key(target));
      boolean serving = s.activeHash().map(key(target)::equals).orElse(false)
          && plan.activeHash().map(key(target)::equals).orElse(false)
          // Selected by the active Service at full size: it serves (the history records that
          // in this same reconcile, so the record cannot be asked for yet).
          && tv != null && tv.isAvailableAt(s.app().replicas())
          && (!rolling || rollingServes(target, tv));
      boolean othersGone = s.versions().values().stream()
          .filter(v -> !v.hash().equals(key(target)))
          .allMatch(v -> v.specReplicas() == 0 && v.readyReplicas() == 0)
          && plan.versions().stream().filter(v -> !v.hash().equals(key(target)))
          .allMatch(v -> v.replicas() == 0)
          && rollbackWindowPassed(tv);
      boolean expanded = spec.expand == null || entries.values().stream()
          .anyMatch(e -> e.phase == Kind.expand && rev == e.revision
              && e.state == State.Succeeded);
      boolean ran = entries.values().stream()
          .anyMatch(e -> e.phase == Kind.contract && rev == e.revision);
      if (serving && othersGone && expanded && !ran && create.isEmpty()
          && running().isEmpty()) {
        start(MigrationJob.of(s.app().name(), rev, Kind.contract, 1, target));
      }
    }

    // ---- status -------------------------------------------------------------------------------

    /** Migrated: how the newest migration of the target (or live) revision stands. */
    private void migratedCondition() {
      if (spec == null || plan.holdChildren()) {
        return;
      }
      int rev = s.revisionOf(plan.target().hash());
      Optional<MigrationStatus> newest = entries.values().stream()
          .filter(e -> e.revision != null && e.revision == rev)
          .max(Comparator.comparing((MigrationStatus e) -> instant(e.startTime),
              Comparator.nullsFirst(Comparator.naturalOrder())));
      if (newest.isEmpty()) {
        return;
      }
      MigrationStatus e = newest.get();
      String what = label(e.phase) + " migration of revision " + e.revision + " (Job "
          + e.jobName + ") ";
      ConditionState c = switch (e.state) {
        case Succeeded -> new ConditionState(MIGRATED, true, phaseWord(e.phase) + "Succeeded",
            what + "succeeded.");
        case Failed -> new ConditionState(MIGRATED, false, phaseWord(e.phase) + "Failed",
            what + "failed: " + e.message);
        default -> new ConditionState(MIGRATED, false, phaseWord(e.phase) + "Running",
            what + "is " + e.state.name() + ".");
      };
      Outcome out = plan.outcome();
      List<ConditionState> conditions = new ArrayList<>(out.conditions());
      conditions.removeIf(x -> x.type().equals(MIGRATED));
      conditions.add(c);
      plan = copy(plan.versions(), plan.deleteVersions(), plan.previewHash(),
          new Outcome(out.phase(), out.message(), conditions, out.liveHash(), out.previewHash(),
              out.promotedHash(), out.abortedHash(), out.abortReason()), plan.events());
    }

    // ---- helpers ------------------------------------------------------------------------------

    private void start(MigrationJob job) {
      create.add(job);
      MigrationStatus e = new MigrationStatus();
      e.phase = job.phase();
      e.revision = job.revision();
      e.attempt = job.attempt();
      e.jobName = job.name();
      e.state = State.Pending;
      e.startTime = now.toString();
      entries.put(job.name(), e);
      events.add(PlannedEvent.normal("MigrationStarted", label(job.phase()) + " migration of "
          + "revision " + job.revision() + " started (Job " + job.name() + ")."));
    }

    /** A migration Job of the app that has not finished: no other one starts meanwhile. */
    private Optional<MigrationStatus> running() {
      return entries.values().stream().filter(e -> !isDone(e.state)).findFirst();
    }

    /** A revision that served traffic once is past its expand for good. */
    private boolean served(String hash, int rev) {
      VersionState v = s.versions().get(hash);
      VersionState r = s.versions().get(Labels.ROLLING);
      boolean rolledOut = rolling && r != null
          && r.bookkeeping().stableHash().filter(hash::equals).isPresent();
      return (v != null && v.bookkeeping().served()) || rolledOut
          || m.servedRevisions().contains(rev);
    }

    private boolean wasAborted(String hash) {
      VersionState v = s.versions().get(key(hash));
      return v != null && v.bookkeeping().aborted().isPresent()
          && (!rolling || v.bookkeeping().abortedHash().filter(hash::equals).isPresent());
    }

    /** The newest attempt of a revision's rollout that ran a migration (1 when none did). */
    private int attempt(int rev) {
      return entries.values().stream()
          .filter(e -> e.revision != null && e.revision == rev && e.attempt != null)
          .mapToInt(e -> e.attempt).max().orElse(1);
    }

    private Optional<MigrationStatus> entry(int rev, Kind phase, int attempt) {
      return Optional.ofNullable(entries.get(
          MigrationJob.nameOf(s.app().name(), rev, phase, attempt)));
    }

    private Optional<DesiredVersion> desired(String hash) {
      return plan.versions().stream().filter(v -> v.hash().equals(hash)).findFirst();
    }

    private boolean paused() {
      return s.app().paused() || s.commands().paused();
    }

    private Plan copy(List<DesiredVersion> versions, List<String> deleteVersions,
        Optional<String> previewHash, Outcome outcome, List<PlannedEvent> allEvents) {
      Optional<java.time.Duration> requeue = plan.requeueAfter();
      if (wakeAt != null) {
        java.time.Duration d = java.time.Duration.between(now, wakeAt);
        if (requeue.isEmpty() || d.compareTo(requeue.get()) < 0) {
          requeue = Optional.of(d);
        }
      }
      return new Plan(plan.holdChildren(), plan.target(), plan.pin(), plan.storeRevisions(),
          plan.deleteRevisions(), versions, deleteVersions, plan.activeHash(), previewHash,
          outcome, allEvents, requeue, plan.consumeCommands(), plan.consumeUndo(),
          plan.traffic(), plan.analysis());
    }
  }

  static boolean isDone(State state) {
    return state == State.Succeeded || state == State.Failed;
  }

  private static String failure(String reason, String message) {
    String detail = ForeignMessage.asSentence(message);
    if (reason == null && detail.isEmpty()) {
      return "the Job failed.";
    }
    return (reason != null ? reason : "Failed") + (detail.isEmpty() ? "." : ": " + detail);
  }

  private static String label(Kind phase) {
    return switch (phase) {
      case expand -> "Expand";
      case contract -> "Contract";
      case onAbort -> "OnAbort";
    };
  }

  private static String phaseWord(Kind phase) {
    return label(phase);
  }

  private static Instant instant(String value) {
    return value == null ? null : Instant.parse(value);
  }

  private static MigrationStatus copyOf(MigrationStatus r) {
    MigrationStatus c = new MigrationStatus();
    c.phase = r.phase;
    c.revision = r.revision;
    c.attempt = r.attempt;
    c.jobName = r.jobName;
    c.state = r.state;
    c.startTime = r.startTime;
    c.completionTime = r.completionTime;
    c.message = r.message;
    return c;
  }
}
