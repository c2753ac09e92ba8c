package dev.baton.planning;

/**
 * What one version's Deployment should look like. The pod template comes from the revision
 * ({@link Snapshot.Target} or the existing Deployment), so only the fields Baton decides are here.
 *
 * @param hash the revision hash
 * @param revision the revision number
 * @param replicas the desired size
 * @param bookkeeping what Baton remembers of the version after this plan, complete (recorded in
 *     status, not on the Deployment)
 * @param restartedAt a restart value to stamp on the pod template, or null
 */
public record DesiredVersion(
    String hash, int revision, int replicas, Bookkeeping bookkeeping, String restartedAt) {}
