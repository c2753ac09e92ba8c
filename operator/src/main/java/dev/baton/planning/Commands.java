package dev.baton.planning;

import java.util.Map;
import java.util.Optional;

/**
 * The manual commands a user (or {@code kubectl baton}) leaves on a BatonApp as annotations. Baton
 * acts on each, records the effect on the children or in status, then removes the annotation.
 *
 * @param promote {@code baton.dev/promote}: switch to the waiting new version now
 * @param abort {@code baton.dev/abort}: stop the rollout, keep the live version
 * @param retry {@code baton.dev/retry}: try an aborted revision again
 * @param restart {@code baton.dev/restart}: any new value restarts the live version's pods
 */
public record Commands(boolean promote, boolean abort, boolean retry, Optional<String> restart) {

  public static final String PROMOTE = "baton.dev/promote";
  public static final String ABORT = "baton.dev/abort";
  public static final String RETRY = "baton.dev/retry";
  public static final String RESTART = "baton.dev/restart";

  /** No command given. */
  public static final Commands NONE = new Commands(false, false, false, Optional.empty());

  /** Reads the commands from a BatonApp's annotations. */
  public static Commands from(Map<String, String> annotations) {
    if (annotations == null) {
      return NONE;
    }
    return new Commands(
        annotations.containsKey(PROMOTE),
        annotations.containsKey(ABORT),
        annotations.containsKey(RETRY),
        Optional.ofNullable(annotations.get(RESTART)));
  }

  /** True when any one-shot command (promote, abort, retry) waits to be consumed. */
  public boolean anyOneShot() {
    return promote || abort || retry;
  }
}
