package dev.baton.planning;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a planner may know, read from the informer caches at one moment.
 *
 * @param app the spec with defaults applied
 * @param specTarget the revision spec.template asks for: its hash and template
 * @param nextRevision the number a revision gets when it is seen for the first time
 * @param versions the app's versions (Deployments) by hash
 * @param stored the revisions kept in history (ControllerRevisions)
 * @param recordedPin the undo recorded in status, if any
 * @param activeHash the hash the active Service selects, if the Service exists
 * @param invalidSpec why the spec cannot be acted on, if it cannot (checks CEL cannot express)
 * @param reportedInvalidSpec the message of the InvalidSpec condition status already shows, if any
 * @param commands the manual commands waiting on the BatonApp
 * @param now the planning clock
 * @param traffic the traffic objects as read back through the app's ingress provider
 * @param analysis the app's analyses, their recorded runs and the measurements landed since
 * @param lastRecorded the newest entry of {@code status.history}, if any
 */
public record Snapshot(
    AppSettings app,
    Target specTarget,
    int nextRevision,
    Map<String, VersionState> versions,
    List<StoredRevision> stored,
    Optional<RollbackPin> recordedPin,
    Optional<String> activeHash,
    Optional<String> invalidSpec,
    Optional<String> reportedInvalidSpec,
    Commands commands,
    Instant now,
    TrafficObservation traffic,
    AnalysisInputs analysis,
    Optional<Recorded> lastRecorded) {

  /** A snapshot with no history recorded in status. */
  public Snapshot(AppSettings app, Target specTarget, int nextRevision,
      Map<String, VersionState> versions, List<StoredRevision> stored,
      Optional<RollbackPin> recordedPin, Optional<String> activeHash,
      Optional<String> invalidSpec, Optional<String> reportedInvalidSpec, Commands commands,
      Instant now, TrafficObservation traffic, AnalysisInputs analysis) {
    this(app, specTarget, nextRevision, versions, stored, recordedPin, activeHash, invalidSpec,
        reportedInvalidSpec, commands, now, traffic, analysis, Optional.empty());
  }

  /** A snapshot of an app without analysis. */
  public Snapshot(AppSettings app, Target specTarget, int nextRevision,
      Map<String, VersionState> versions, List<StoredRevision> stored,
      Optional<RollbackPin> recordedPin, Optional<String> activeHash,
      Optional<String> invalidSpec, Optional<String> reportedInvalidSpec, Commands commands,
      Instant now, TrafficObservation traffic) {
    this(app, specTarget, nextRevision, versions, stored, recordedPin, activeHash, invalidSpec,
        reportedInvalidSpec, commands, now, traffic, AnalysisInputs.NONE);
  }

  /**
   * A revision to run.
   *
   * @param hash hash of the pod template (and of the content it references)
   * @param template the pod template to run
   */
  public record Target(String hash, PodTemplateSpec template) {}

  /**
   * A revision number as {@code status.history} records it.
   *
   * @param revision the number
   * @param hash the revision's hash
   */
  public record Recorded(int revision, String hash) {}

  /**
   * The revision number of a hash: from its Deployment, its ControllerRevision, the newest
   * {@code status.history} entry, or the next number.
   *
   * <p>Status is recorded before children are applied, so a reconcile killed between the two
   * leaves the newest history entry as the only trace of the target's number; the next reconcile
   * must give the target that same number, not the one after (which would show one rollout as two
   * revisions, and its Events and Deployment under another number than its history entry). Only
   * the newest entry counts: an older template applied again (its Deployment and ControllerRevision
   * gone) is a new revision, as with a Deployment's rollout history.
   */
  public int revisionOf(String hash) {
    VersionState v = versions.get(hash);
    if (v != null && v.revision() > 0) {
      return v.revision();
    }
    return stored.stream().filter(r -> r.hash().equals(hash)).map(StoredRevision::revision)
        .findFirst()
        .or(() -> lastRecorded.filter(r -> r.hash().equals(hash)).map(Recorded::revision))
        .orElse(nextRevision);
  }
}
