package dev.baton.planning;

import dev.baton.api.v1alpha1.MigrationSpec;
import dev.baton.api.v1alpha1.MigrationStatus;
import dev.baton.api.v1alpha1.MigrationStatus.Kind;
import dev.baton.api.v1alpha1.MigrationStatus.State;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.planning.Plan.ConditionState;
import java.time.Instant;
import java.util.List;
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

  /** True when a migration Job in this state has finished. */
  static boolean isDone(State state) {
    return MigrationLedger.isDone(state);
  }

  /** The decisions of one pass: which Job starts, and how the strategy's plan is gated. */
  private static final class Gate {
    private final Snapshot s;
    private final MigrationSnapshot m;
    private final MigrationSpec spec;
    private final Instant now;
    private final MigrationLedger ledger;
    private final GatedPlan gated;
    /** The rolling strategy: one Deployment ({@link Labels#ROLLING}) runs every revision. */
    private final boolean rolling;

    Gate(Snapshot s, MigrationSnapshot m, Plan plan) {
      this.s = s;
      this.m = m;
      this.now = s.now();
      this.spec = s.app().database() == null ? null : s.app().database().migration;
      this.rolling = s.app().strategy() == AppSettings.Strategy.ROLLING;
      this.ledger = new MigrationLedger(s, m, plan.target().hash());
      this.gated = new GatedPlan(s, plan);
    }

    private Plan plan() {
      return gated.plan();
    }

    /** The key of the Deployment that runs {@code target}: its own, or the rolling one. */
    private String key(String target) {
      return rolling ? Labels.ROLLING : target;
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
      boolean recorded = tv.bookkeeping().stableHash().filter(plan().target().hash()::equals)
          .isPresent();
      Instant promoted = recorded ? tv.bookkeeping().promotedAt().orElse(now) : now;
      Instant end = promoted.plus(s.app().scaleDownDelay());
      if (now.isBefore(end)) {
        gated.wakeAt(end);
        return false;
      }
      return true;
    }

    Decision run() {
      if (spec != null && !plan().holdChildren()) {
        String target = plan().target().hash();
        int rev = s.revisionOf(target);
        gate(target, rev);
        onAbort(target, rev);
        contract(target, rev);
      }
      migratedCondition();
      gated.addEvents(ledger.events());
      return ledger.decision(plan());
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
          && target.equals(RollingRevisions.template(s)) && !heldByGate()) {
        return; // the rolling Deployment took the template before any gate held it: it serves
      }
      boolean firstDeploy = plan().outcome().liveHash().map(target::equals).orElse(true);
      int attempt = ledger.attempt(rev);
      Optional<MigrationStatus> expand = ledger.entry(rev, Kind.expand, attempt);
      boolean retry = s.commands().retry() && (wasAborted(target) || firstDeploy)
          && (expand.map(e -> e.state == State.Failed).orElse(false)
              || ledger.entry(rev, Kind.onAbort, attempt).isPresent());
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
          gated.hold(target, key(target), Phase.Degraded, why + " Nothing serves yet; fix the "
              + "migration, then change the spec or annotate " + Commands.RETRY + ".",
              MIGRATION_FAILED, false);
        } else {
          gated.abort(target, key(target), why, ledger.events());
        }
        return;
      }
      if (state == null) {
        VersionState tv = s.versions().get(key(target));
        if (paused()) {
          gated.hold(target, key(target), plan().outcome().phase(), plan().outcome().message(),
              null, true);
          return;
        }
        Optional<MigrationStatus> busy = ledger.running();
        if (busy.isPresent()) {
          gated.hold(target, key(target), Phase.Progressing, "Revision " + rev + " waits for "
              + "migration Job " + busy.get().jobName + " to finish before its expand migration "
              + "starts.", "MigrationRunning", true);
          return;
        }
        if (tv != null) {
          ledger.start(MigrationJob.of(s.app().name(), rev, Kind.expand, attempt, target));
          state = State.Pending;
        }
      }
      String live = plan().outcome().liveHash().filter(h -> !h.equals(target))
          .map(h -> " Revision " + s.revisionOf(h) + " serves.").orElse("");
      gated.hold(target, key(target), Phase.Progressing, "Revision " + rev + " waits for its "
          + "expand migration (Job " + job + ": " + (state == null ? "about to start"
          : state.name()) + ")." + live, "MigrationRunning", true);
    }

    // ---- onAbort ------------------------------------------------------------------------------

    private void onAbort(String target, int rev) {
      if (spec.onAbort == null) {
        return;
      }
      int attempt = ledger.attempt(rev);
      Optional<MigrationStatus> expand = ledger.entry(rev, Kind.expand, attempt);
      if (expand.isEmpty() || !isDone(expand.get().state)
          || ledger.entry(rev, Kind.onAbort, attempt).isPresent()
          || ledger.creates() || ledger.running().isPresent()) {
        return;
      }
      boolean aborted = abortedInPlan(target) || expand.get().state == State.Failed;
      if (aborted) {
        ledger.start(MigrationJob.of(s.app().name(), rev, Kind.onAbort, attempt, target));
      }
    }

    // ---- contract -----------------------------------------------------------------------------

    private void contract(String target, int rev) {
      if (spec.contract == null || paused()) {
        return;
      }
      VersionState tv = s.versions().get(key(target));
      boolean serving = s.activeHash().map(key(target)::equals).orElse(false)
          && plan().activeHash().map(key(target)::equals).orElse(false)
          // Selected by the active Service at full size: it serves (the history records that
          // in this same reconcile, so the record cannot be asked for yet).
          && tv != null && tv.isAvailableAt(s.app().replicas())
          && (!rolling || rollingServes(target, tv));
      boolean othersGone = s.versions().values().stream()
          .filter(v -> !v.hash().equals(key(target)))
          .allMatch(v -> v.specReplicas() == 0 && v.readyReplicas() == 0)
          && plan().versions().stream().filter(v -> !v.hash().equals(key(target)))
          .allMatch(v -> v.replicas() == 0)
          && rollbackWindowPassed(tv);
      boolean expanded = spec.expand == null || ledger.ran(rev, Kind.expand, State.Succeeded);
      boolean ran = ledger.ran(rev, Kind.contract, null);
      if (serving && othersGone && expanded && !ran && !ledger.creates()
          && ledger.running().isEmpty()) {
        ledger.start(MigrationJob.of(s.app().name(), rev, Kind.contract, 1, target));
      }
    }

    // ---- status -------------------------------------------------------------------------------

    /** Migrated: how the newest migration of the target (or live) revision stands. */
    private void migratedCondition() {
      if (spec == null || plan().holdChildren()) {
        return;
      }
      Optional<MigrationStatus> newest = ledger.newest(s.revisionOf(plan().target().hash()));
      if (newest.isEmpty()) {
        return;
      }
      MigrationStatus e = newest.get();
      String label = MigrationLedger.label(e.phase);
      String what = label + " migration of revision " + e.revision + " (Job " + e.jobName + ") ";
      gated.migrated(switch (e.state) {
        case Succeeded -> new ConditionState(MIGRATED, true, label + "Succeeded",
            what + "succeeded.");
        case Failed -> new ConditionState(MIGRATED, false, label + "Failed",
            what + "failed: " + e.message);
        default -> new ConditionState(MIGRATED, false, label + "Running",
            what + "is " + e.state.name() + ".");
      });
    }

    // ---- helpers ------------------------------------------------------------------------------

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

    private Optional<DesiredVersion> desired(String hash) {
      return plan().versions().stream().filter(v -> v.hash().equals(hash)).findFirst();
    }

    private boolean paused() {
      return s.app().paused() || s.commands().paused();
    }
  }
}
