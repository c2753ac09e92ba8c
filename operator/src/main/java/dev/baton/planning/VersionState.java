package dev.baton.planning;

/**
 * One version of the app as observed: its Deployment's size and readiness, and Baton's bookkeeping
 * of it.
 *
 * @param hash the revision hash (also in the Deployment's name and pod labels)
 * @param revision the revision number
 * @param specReplicas the Deployment's desired size
 * @param readyReplicas pods passing their readiness probes
 * @param availableReplicas pods Ready for at least minReadySeconds
 * @param rolledOut the Deployment controller has caught up with the Deployment's spec
 *     (observedGeneration current, every pod updated)
 * @param bookkeeping what Baton remembers of the version ({@code status.rollout} and
 *     {@code status.retiring})
 * @param podProblems why pods of this version are not ready, for messages
 * @param updatedReplicas pods already running the Deployment's current template (the rolling
 *     strategy reports it; for a per-revision Deployment it equals the pods it has)
 * @param readyEndpoints pods of this version's current template that the EndpointSlice controller
 *     lists as ready behind the preview Service: the pods that can take traffic, seen seconds
 *     before the Deployment's status says so. 0 when unknown, and when readiness alone does not
 *     make a pod available (minReadySeconds &gt; 0)
 */
public record VersionState(
    String hash,
    int revision,
    int specReplicas,
    int readyReplicas,
    int availableReplicas,
    boolean rolledOut,
    Bookkeeping bookkeeping,
    String podProblems,
    int updatedReplicas,
    int readyEndpoints) {

  /**
   * A version whose pods all run its template (every per-revision Deployment once created), with
   * no endpoint information (the Deployment's status alone decides).
   */
  public VersionState(String hash, int revision, int specReplicas, int readyReplicas,
      int availableReplicas, boolean rolledOut, Bookkeeping bookkeeping,
      String podProblems) {
    this(hash, revision, specReplicas, readyReplicas, availableReplicas, rolledOut, bookkeeping,
        podProblems, rolledOut ? specReplicas : 0, 0);
  }

  /**
   * True when {@code replicas} pods of this version can take traffic: available by the
   * Deployment's status, or already listed as ready endpoints behind the preview Service (the
   * same controller, watching the same pods, routes the active Service's traffic after a switch,
   * so switching then never lowers the active Service's ready endpoints).
   */
  public boolean isServableAt(int replicas) {
    return isAvailableAt(replicas) || specReplicas == replicas && readyEndpoints >= replicas;
  }

  /** The pods that can take traffic: available ones, or ready endpoints where those are more. */
  public int servingReplicas() {
    return Math.max(availableReplicas, readyEndpoints);
  }

  /** True when every one of {@code replicas} pods is available and the Deployment is current. */
  public boolean isAvailableAt(int replicas) {
    return rolledOut && specReplicas == replicas && availableReplicas >= replicas;
  }
}
