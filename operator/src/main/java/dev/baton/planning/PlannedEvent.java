package dev.baton.planning;

/**
 * A Kubernetes Event to emit on the BatonApp.
 *
 * @param warning true for a Warning event, false for Normal
 * @param reason a CamelCase reason, e.g. {@code Promoted}
 * @param message what happened, for people
 * @param key what names the Event when two reconciles must name it alike whatever they read
 *     (a switch and the reconcile that completes its record after a crash); null to name it by
 *     the transition and the BatonApp's resourceVersion
 */
public record PlannedEvent(boolean warning, String reason, String message, String key) {

  /** An Event named by its transition and the resourceVersion it was decided from. */
  public PlannedEvent(boolean warning, String reason, String message) {
    this(warning, reason, message, null);
  }

  static PlannedEvent normal(String reason, String message) {
    return new PlannedEvent(false, reason, message);
  }

  static PlannedEvent warning(String reason, String message) {
    return new PlannedEvent(true, reason, message);
  }

  /** This Event, named by {@code key}. */
  PlannedEvent keyed(String otherKey) {
    return new PlannedEvent(warning, reason, message, otherKey);
  }
}
