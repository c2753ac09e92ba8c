package dev.baton.api;

/**
 * The labels and annotations Baton puts on the objects it manages, which users, dashboards and
 * tools (the kubectl plugin, Argo CD) may select on or read. They never change once an object
 * exists; the rollout's bookkeeping is in the BatonApp's status, not here.
 */
public final class ObjectLabels {

  /** On every managed object and pod: the name of the owning BatonApp. */
  public static final String APP = "baton.dev/app";
  /** On each version's Deployment and pods: the pod-template hash of the revision. */
  public static final String REVISION_HASH = "baton.dev/revision-hash";
  /** On managed objects: which part of the app the object is ({@code active}, {@code preview}). */
  public static final String ROLE = "baton.dev/role";
  /** Revision number of a Deployment or ControllerRevision. */
  public static final String REVISION = "baton.dev/revision";
  /** On the rolling Deployment and its pods: hash of the revision its pod template runs. */
  public static final String TEMPLATE_HASH = "baton.dev/template-hash";
  /**
   * On the active Service: the hash of the live version (also while a canary's selector spans
   * both versions). An older Baton also wrote it on the rolling Deployment: the last revision it
   * rolled out completely.
   */
  public static final String STABLE_HASH = "baton.dev/stable-hash";
  /** On the pod template of the live version: the value of the last restart command. */
  public static final String RESTARTED_AT = "baton.dev/restarted-at";
  /** On every object Baton applies: a hash of what Baton last applied, to skip no-op writes. */
  public static final String APPLIED = "baton.dev/applied";

  /**
   * The {@link #REVISION_HASH} value of the rolling strategy's one Deployment and of all its pods,
   * whatever template they run: the Deployment's selector and the active Service's selector stay
   * constant while the Deployment controller replaces pods. Never a real hash (those are hex).
   */
  public static final String ROLLING = "rolling";

  /**
   * Annotations a Baton before the typed {@code status.rollout} record wrote on Deployments, read
   * for one release so that apps in flight across an upgrade keep going.
   */
  public static final class Legacy {
    /** On a replaced version: when it may be scaled down (the rollback window ends). */
    public static final String SCALE_DOWN_AT = "baton.dev/scale-down-at";

    private Legacy() {}
  }

  private ObjectLabels() {}
}
