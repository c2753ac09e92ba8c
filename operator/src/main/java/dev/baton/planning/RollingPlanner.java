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
    private final VersionState rolling;
    private final String current;
    private final RollingAnalysis analysis;

    Planning(Snapshot s, TargetResolver.Resolution resolution) {
      this.s = s;
      this.plan = new PlanBuilder(s, resolution);
      this.app = s.app();
      this.rolling = s.versions().get(KEY);
      this.current = rolling == null ? null : rolling.bookkeeping().templateHash().orElse(null);
      this.analysis = new RollingAnalysis(plan, new AnalysisGate(s.analysis(), s.now()));
    }

    Plan run() {
      Optional<String> serving = s.activeHash().filter(s.versions()::containsKey);
      if (serving.isEmpty()) {
        serving = rolling != null ? Optional.of(KEY) : newestServingVersion();
      }
      Step step = serving.isPresent() && !serving.get().equals(KEY)
          ? new RollingSwitchIn(plan, rolling, current).switchIn(serving.get())
          : new RollingUpdate(plan, rolling, analysis).run();
      RollbackWindow.retireOthers(plan, v -> OptionalInt.empty());
      // Retired per-revision Deployments at zero go; never the one the Service selects.
      plan.deleteRetired(h -> h.equals(KEY) || s.activeHash().filter(h::equals).isPresent());
      // The preview Service follows the rolling Deployment: there is no separate preview.
      String preview = plan.kept(KEY).filter(d -> d.replicas() > 0).isPresent()
          ? KEY : step.activeSelects();
      return plan.build(step.phase(), step.message(), step.activeSelects(), preview,
          step.live(), step.preview(), 0, analysis.plan());
    }

    /** With no active Service, the newest fully available per-revision version may serve. */
    private Optional<String> newestServingVersion() {
      return s.versions().values().stream()
          .filter(v -> !v.hash().equals(KEY))
          .filter(v -> v.isAvailableAt(app.replicas()) && v.bookkeeping().served())
          .max(Comparator.comparingInt(VersionState::revision))
          .map(VersionState::hash);
    }
  }
}
