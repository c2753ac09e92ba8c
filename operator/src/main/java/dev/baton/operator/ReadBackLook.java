package dev.baton.operator;

import java.time.Duration;
import java.util.Optional;

/**
 * When to look at an app again after a reconcile, given what the plan asked for and whether the
 * reconcile wrote any child.
 *
 * <p>Why a write needs a look of its own: Baton tells each informer about its own writes, so the
 * SDK does not turn their watch events into reconciles, and the per-app index the snapshot reads
 * lists a written object only once the watch has delivered it. A step that waits for the read-back
 * of Baton's own write (a provider's objects, a Deployment's new template before its controller
 * reacts) therefore has no event to wake it unless another object changes. Most of the time one
 * does (the Deployment controller's status write, a pod); under load, the one that came could
 * arrive before the write was in the cache, and the app slept until the next resync. One look
 * {@link #AFTER_WRITE} later is the bounded safety net: any event sooner replaces it, and a
 * reconcile that writes nothing asks for none, so an idle app stays idle.
 */
public final class ReadBackLook {

  /** How soon to look again after a reconcile that wrote a child. */
  public static final Duration AFTER_WRITE = Duration.ofSeconds(2);

  private ReadBackLook() {}

  /** The sooner of the plan's own look and, when something was written, {@link #AFTER_WRITE}. */
  public static Optional<Duration> next(Optional<Duration> planned, int writes) {
    if (writes == 0) {
      return planned;
    }
    return Optional.of(planned.filter(d -> d.compareTo(AFTER_WRITE) < 0).orElse(AFTER_WRITE));
  }
}
