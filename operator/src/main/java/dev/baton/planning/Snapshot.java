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
    AnalysisInputs analysis) {

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

  /** The revision number of a hash: from its Deployment, its history entry, or the next number. */
  public int revisionOf(String hash) {
    VersionState v = versions.get(hash);
    if (v != null && v.revision() > 0) {
      return v.revision();
    }
    return stored.stream().filter(r -> r.hash().equals(hash)).map(StoredRevision::revision)
        .findFirst().orElse(nextRevision);
  }
}
