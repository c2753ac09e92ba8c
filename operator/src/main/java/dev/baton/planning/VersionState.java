package dev.baton.planning;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One version of the app as observed: its Deployment's size, readiness and Baton's annotations.
 *
 * @param hash the revision hash (also in the Deployment's name and pod labels)
 * @param revision the revision number
 * @param specReplicas the Deployment's desired size
 * @param readyReplicas pods passing their readiness probes
 * @param availableReplicas pods Ready for at least minReadySeconds
 * @param rolledOut the Deployment controller has caught up with the Deployment's spec
 *     (observedGeneration current, every pod updated)
 * @param annotations Baton's bookkeeping on the Deployment ({@link Labels})
 * @param podProblems why pods of this version are not ready, for messages
 * @param updatedReplicas pods already running the Deployment's current template (the rolling
 *     strategy reports it; for a per-revision Deployment it equals the pods it has)
 */
public record VersionState(
    String hash,
    int revision,
    int specReplicas,
    int readyReplicas,
    int availableReplicas,
    boolean rolledOut,
    Map<String, String> annotations,
    String podProblems,
    int updatedReplicas) {

  /** A version whose pods all run its template (every per-revision Deployment once created). */
  public VersionState(String hash, int revision, int specReplicas, int readyReplicas,
      int availableReplicas, boolean rolledOut, Map<String, String> annotations,
      String podProblems) {
    this(hash, revision, specReplicas, readyReplicas, availableReplicas, rolledOut, annotations,
        podProblems, rolledOut ? specReplicas : 0);
  }

  /** True when every one of {@code replicas} pods is available and the Deployment is current. */
  public boolean isAvailableAt(int replicas) {
    return rolledOut && specReplicas == replicas && availableReplicas >= replicas;
  }

  public Optional<Instant> instant(String annotation) {
    String value = annotations.get(annotation);
    return value == null ? Optional.empty() : Optional.of(Instant.parse(value));
  }

  public boolean has(String annotation) {
    return annotations.containsKey(annotation);
  }
}
