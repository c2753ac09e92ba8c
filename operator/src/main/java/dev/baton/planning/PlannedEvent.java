package dev.baton.planning;

/**
 * A Kubernetes Event to emit on the BatonApp.
 *
 * @param warning true for a Warning event, false for Normal
 * @param reason a CamelCase reason, e.g. {@code Promoted}
 * @param message what happened, for people
 */
public record PlannedEvent(boolean warning, String reason, String message) {

  static PlannedEvent normal(String reason, String message) {
    return new PlannedEvent(false, reason, message);
  }

  static PlannedEvent warning(String reason, String message) {
    return new PlannedEvent(true, reason, message);
  }
}
