package dev.baton.planning;

import dev.baton.api.v1alpha1.Phase;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the world should look like after this reconcile, and what to tell the user.
 *
 * @param holdChildren true when the spec cannot be acted on: no child object is written at all,
 *     so a bad spec never touches the serving version
 * @param target the revision Baton rolls towards (spec.template, or an earlier one during undo)
 * @param pin the undo in force, to record in status
 * @param storeRevisions revisions to add to the history
 * @param deleteRevisions hashes of revisions to drop from the history
 * @param versions the Deployments to keep, with their desired size and bookkeeping
 * @param deleteVersions hashes of Deployments to delete (scaled to zero and out of history)
 * @param activeHash the hash the active Service should select
 * @param previewHash the hash the preview Service should select
 * @param outcome the phase, conditions and message to report
 * @param events Events to emit for transitions made by this plan
 * @param requeueAfter when to look again even if nothing changes (a timer runs out)
 * @param consumeCommands remove promote, abort and retry: their effect is in this plan
 * @param consumeUndo remove the undo annotation: its effect is recorded
 * @param traffic the weights and selector span to write, and what status reports of them
 * @param analysis the analysis runs to record and the measurements due
 */
public record Plan(
    boolean holdChildren,
    Snapshot.Target target,
    Optional<RollbackPin> pin,
    List<StoredRevision> storeRevisions,
    List<String> deleteRevisions,
    List<DesiredVersion> versions,
    List<String> deleteVersions,
    Optional<String> activeHash,
    Optional<String> previewHash,
    Outcome outcome,
    List<PlannedEvent> events,
    Optional<Duration> requeueAfter,
    boolean consumeCommands,
    boolean consumeUndo,
    TrafficPlan traffic,
    AnalysisPlan analysis) {

  /** A plan without analysis. */
  public Plan(boolean holdChildren, Snapshot.Target target, Optional<RollbackPin> pin,
      List<StoredRevision> storeRevisions, List<String> deleteRevisions,
      List<DesiredVersion> versions, List<String> deleteVersions, Optional<String> activeHash,
      Optional<String> previewHash, Outcome outcome, List<PlannedEvent> events,
      Optional<Duration> requeueAfter, boolean consumeCommands, boolean consumeUndo,
      TrafficPlan traffic) {
    this(holdChildren, target, pin, storeRevisions, deleteRevisions, versions, deleteVersions,
        activeHash, previewHash, outcome, events, requeueAfter, consumeCommands, consumeUndo,
        traffic, AnalysisPlan.NONE);
  }

  /** A Deployment is either kept (and written if it differs) or deleted, never both. */
  public Plan {
    for (DesiredVersion v : versions) {
      if (deleteVersions.contains(v.hash())) {
        throw new IllegalArgumentException("version " + v.hash() + " is both kept and deleted");
      }
    }
  }

  /** This plan, asking to look again within the given time at the latest. */
  public Plan lookingAgainWithin(Duration within) {
    Duration after = requeueAfter.filter(d -> d.compareTo(within) < 0).orElse(within);
    return with(events, Optional.of(after));
  }

  /** This plan with other Events and another time to look again; the rest unchanged. */
  public Plan with(List<PlannedEvent> otherEvents, Optional<Duration> otherRequeueAfter) {
    return new Plan(holdChildren, target, pin, storeRevisions, deleteRevisions, versions,
        deleteVersions, activeHash, previewHash, outcome, otherEvents, otherRequeueAfter,
        consumeCommands, consumeUndo, traffic, analysis);
  }

  /**
   * True when this plan moves the active Service to another version. The planner switches only
   * to a version that already serves at full size, so the Services may be written before the
   * Deployments: nothing the switch needs waits on a Deployment write.
   */
  public boolean switchesTraffic() {
    return outcome.promotedHash().isPresent();
  }

  /**
   * The user-facing result of a plan.
   *
   * @param phase the one-word state
   * @param message a sentence on what Baton does or waits for
   * @param conditions the conditions to set (others of Baton's types are left as they are)
   * @param liveHash the version serving traffic after this plan (may be empty on first deploy)
   * @param previewHash the version being rolled out, if any
   * @param promotedHash the version this plan switched traffic to, if it did
   * @param abortedHash the version this plan aborted, if it did
   * @param abortReason why it was aborted
   */
  public record Outcome(
      Phase phase,
      String message,
      List<ConditionState> conditions,
      Optional<String> liveHash,
      Optional<String> previewHash,
      Optional<String> promotedHash,
      Optional<String> abortedHash,
      String abortReason) {}

  /**
   * A condition as the planner decides it; the status bookkeeper keeps lastTransitionTime stable.
   *
   * @param type e.g. {@code Available}
   * @param status True or False
   * @param reason CamelCase reason
   * @param message for people
   */
  public record ConditionState(String type, boolean status, String reason, String message) {}
}
