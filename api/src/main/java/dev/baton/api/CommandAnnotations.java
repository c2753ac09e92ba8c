package dev.baton.api;

/**
 * The manual commands a user (or {@code kubectl baton}) leaves on a BatonApp as annotations.
 * One-shot commands ({@link #PROMOTE}, {@link #ABORT}, {@link #RETRY}, {@link #UNDO}) are removed
 * by Baton once their effect is recorded; {@link #PAUSED} holds while present, and any new value
 * of {@link #RESTART} restarts the live pods (as {@code kubectl rollout restart} does).
 */
public final class CommandAnnotations {

  /** Promote the waiting version, or move a stepped rollout on by one step ({@code full}: all). */
  public static final String PROMOTE = "baton.dev/promote";
  /** Stop the rollout; the live version keeps serving. */
  public static final String ABORT = "baton.dev/abort";
  /** Try an aborted revision again. */
  public static final String RETRY = "baton.dev/retry";
  /** Roll back to a revision number, or to the previous revision when the value is empty. */
  public static final String UNDO = "baton.dev/undo";
  /** Pause while present. */
  public static final String PAUSED = "baton.dev/paused";
  /** Any new value restarts the live version's pods. */
  public static final String RESTART = "baton.dev/restart";

  private CommandAnnotations() {}
}
