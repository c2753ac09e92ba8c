package dev.baton.planning;

import dev.baton.api.ObjectLabels;

/**
 * The labels and annotations Baton writes on the objects it manages, and (marked legacy) the
 * bookkeeping annotations an older Baton wrote on Deployments, read only to resume an app in
 * flight after an upgrade ({@link LegacyBookkeeping}). The rollout's bookkeeping itself is
 * {@link Bookkeeping}, recorded in status. The labels clients read are defined in the API
 * ({@link ObjectLabels}); these are the same values.
 */
public final class Labels {

  /** On every managed object and pod: the name of the owning BatonApp. */
  public static final String APP = ObjectLabels.APP;
  /** On each version's Deployment and pods: the pod-template hash of the revision. */
  public static final String REVISION_HASH = ObjectLabels.REVISION_HASH;
  /** On managed objects: which part of the app the object is ({@code active}, {@code preview}). */
  public static final String ROLE = ObjectLabels.ROLE;

  /**
   * The {@link #REVISION_HASH} value of the rolling strategy's one Deployment and of all its pods,
   * whatever template they run: the Deployment's selector and the active Service's selector stay
   * constant while the Deployment controller replaces pods. Never a real hash (those are hex).
   */
  public static final String ROLLING = ObjectLabels.ROLLING;

  /** Revision number of a Deployment or ControllerRevision. */
  public static final String REVISION = ObjectLabels.REVISION;
  /** On the pod template of the live version: the value of the last restart command. */
  public static final String RESTARTED_AT = ObjectLabels.RESTARTED_AT;
  /** On the rolling Deployment's pod template and pods: hash of the revision the pods run. */
  public static final String TEMPLATE_HASH = ObjectLabels.TEMPLATE_HASH;
  /**
   * On the active Service: the hash of the live version (also while a canary's selector spans
   * both versions). Legacy, also: on the rolling Deployment, the last revision it rolled out.
   */
  public static final String STABLE_HASH = ObjectLabels.STABLE_HASH;
  /** On every object Baton applies: a hash of what Baton last applied, to skip no-op writes. */
  public static final String APPLIED = ObjectLabels.APPLIED;

  // ---- Legacy: bookkeeping an older Baton kept on Deployments, read for upgrade only ----------
  // TODO(one release after v1alpha1 status.rollout): remove with LegacyBookkeeping.

  /** Legacy: when the new version's current target size was set. */
  public static final String PROGRESS_SINCE = "baton.dev/progress-since";
  /** Legacy: when the new version first had every desired pod available. */
  public static final String READY_SINCE = "baton.dev/ready-since";
  /** Legacy: promotion was decided on the new version. */
  public static final String PROMOTING = "baton.dev/promoting";
  /** Legacy: why a version was aborted (a reason word). */
  public static final String ABORTED = "baton.dev/aborted";
  /** Legacy: the human-readable explanation of an abort. */
  public static final String ABORTED_MESSAGE = "baton.dev/aborted-message";
  /** Legacy: when a version was aborted. */
  public static final String ABORTED_AT = "baton.dev/aborted-at";
  /** Legacy: when a replaced version may be scaled down (also read by the kubectl plugin). */
  public static final String SCALE_DOWN_AT = ObjectLabels.Legacy.SCALE_DOWN_AT;
  /** Legacy: when a version became the live one. */
  public static final String PROMOTED_AT = "baton.dev/promoted-at";
  /** Legacy: the index of the step a stepped rollout is at. */
  public static final String STEP = "baton.dev/step";
  /** Legacy: when the current step's weight and pods were in place. */
  public static final String STEP_SINCE = "baton.dev/step-since";
  /** Legacy: the attempt at the target revision. */
  public static final String ATTEMPT = "baton.dev/attempt";
  /** Legacy: on the rolling Deployment, the revision whose rollout was aborted. */
  public static final String ABORTED_HASH = "baton.dev/aborted-hash";
  /** Legacy: on the rolling Deployment, Baton paused it (spec.paused). */
  public static final String ROLLOUT_PAUSED = "baton.dev/rollout-paused";

  private Labels() {}
}
