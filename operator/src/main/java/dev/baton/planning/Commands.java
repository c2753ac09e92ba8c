package dev.baton.planning;

import dev.baton.api.CommandAnnotations;
import java.util.Map;
import java.util.Optional;

/**
 * The manual commands a user (or {@code kubectl baton}) leaves on a BatonApp as annotations.
 *
 * <p>One-shot commands ({@code promote}, {@code abort}, {@code retry}, {@code undo}) are removed by
 * Baton once their effect is recorded on the children or in status. State commands stay while they
 * hold: {@code paused} pauses while present, and {@code restart} restarts the live pods each time
 * its value changes (as {@code kubectl rollout restart} does with a timestamp).
 *
 * @param promote {@code baton.dev/promote}: switch to the waiting new version now, or move a
 *     stepped rollout on by one step
 * @param promoteFull {@code baton.dev/promote: full}: skip every remaining step
 * @param abort {@code baton.dev/abort}: stop the rollout, keep the live version
 * @param retry {@code baton.dev/retry}: try an aborted revision again
 * @param undo {@code baton.dev/undo}: roll back to a revision number, or to the previous
 *     revision when the value is empty
 * @param paused {@code baton.dev/paused}: pause while present
 * @param restart {@code baton.dev/restart}: any new value restarts the live version's pods
 */
public record Commands(boolean promote, boolean promoteFull, boolean abort, boolean retry, Optional<String> undo,
    boolean paused, Optional<String> restart) {

  public static final String PROMOTE = CommandAnnotations.PROMOTE;
  public static final String ABORT = CommandAnnotations.ABORT;
  public static final String RETRY = CommandAnnotations.RETRY;
  public static final String UNDO = CommandAnnotations.UNDO;
  public static final String PAUSED = CommandAnnotations.PAUSED;
  public static final String RESTART = CommandAnnotations.RESTART;

  /** No command given. */
  public static final Commands NONE = new Commands(false, false, false, false, Optional.empty(), false,
      Optional.empty());

  /** Reads the commands from a BatonApp's annotations. */
  public static Commands from(Map<String, String> annotations) {
    if (annotations == null) {
      return NONE;
    }
    return new Commands(
        annotations.containsKey(PROMOTE),
        "full".equals(annotations.get(PROMOTE)),
        annotations.containsKey(ABORT),
        annotations.containsKey(RETRY),
        Optional.ofNullable(annotations.get(UNDO)),
        annotations.containsKey(PAUSED) && !"false".equals(annotations.get(PAUSED)),
        Optional.ofNullable(annotations.get(RESTART)).filter(v -> !v.isBlank()));
  }

  /** True when promote, abort or retry waits to be consumed. */
  public boolean anyOneShot() {
    return promote || abort || retry;
  }
}
