package dev.baton.planning;

import dev.baton.api.ObjectLabels;

/**
 * The labels and annotations Baton writes on the objects it manages, and the keys of the rollout
 * bookkeeping. Those that clients read are defined in the API ({@link ObjectLabels}).
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
  /** When the current target size of a new version was set: the progress deadline counts from it. */
  public static final String PROGRESS_SINCE = "baton.dev/progress-since";
  /** When the new version first had every desired pod available: the promotion delay counts from it. */
  public static final String READY_SINCE = "baton.dev/ready-since";
  /** On a new version: promotion was decided (automatically or by hand); scale up and switch. */
  public static final String PROMOTING = "baton.dev/promoting";
  /** On an aborted version: why (a reason word), kept until a retry or a new revision. */
  public static final String ABORTED = "baton.dev/aborted";
  /** On an aborted version: the human-readable explanation. */
  public static final String ABORTED_MESSAGE = "baton.dev/aborted-message";
  /** On an aborted version: when. */
  public static final String ABORTED_AT = "baton.dev/aborted-at";
  /** On a replaced version: when it may be scaled down (the rollback window ends). */
  public static final String SCALE_DOWN_AT = ObjectLabels.Legacy.SCALE_DOWN_AT;
  /** On a version: when it became the live one. */
  public static final String PROMOTED_AT = "baton.dev/promoted-at";
  /** On the pod template of the live version: the value of the last restart command. */
  public static final String RESTARTED_AT = ObjectLabels.RESTARTED_AT;
  /** On a new version in a stepped rollout: the index of the step it is at. */
  public static final String STEP = "baton.dev/step";
  /** On a new version in a stepped rollout: when the current step's weight and pods were in place. */
  /** Bookkeeping: the attempt at the target revision (1, +1 per retry); keys its analysis runs. */
  public static final String ATTEMPT = "baton.dev/attempt";
  public static final String STEP_SINCE = "baton.dev/step-since";

  /** On the rolling Deployment and its pods: hash of the revision its pod template runs. */
  public static final String TEMPLATE_HASH = ObjectLabels.TEMPLATE_HASH;
  /**
   * The hash of the live version: on the active Service (also while a canary's selector spans
   * both versions), and on the rolling Deployment (the last revision it rolled out completely).
   */
  public static final String STABLE_HASH = ObjectLabels.Legacy.STABLE_HASH;
  /** On the rolling Deployment: hash of the revision whose rollout was aborted. */
  public static final String ABORTED_HASH = "baton.dev/aborted-hash";
  /** On the rolling Deployment: Baton paused it (spec.paused), so the deadline restarts on resume. */
  public static final String ROLLOUT_PAUSED = "baton.dev/rollout-paused";
  /**
   * Bookkeeping of the rolling Deployment, never written on an object: the revision
   * {@code status.rollout} records a rollout towards, so that a rollout held before its template
   * is written (its expand migration runs) is not reported as started again.
   */
  public static final String ROLLOUT_TARGET = "baton.dev/rollout-target";
  /** On every object Baton applies: a hash of what Baton last applied, to skip no-op writes. */
  public static final String APPLIED = ObjectLabels.APPLIED;

  private Labels() {}
}
