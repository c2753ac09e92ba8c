package dev.baton.api;

/** The names of the objects Baton creates for a BatonApp, derived from the app's name. */
public final class ObjectNames {

  private ObjectNames() {}

  /**
   * Name of the Deployment of one version: {@code <app>-<hash>}, or {@code <app>} for the rolling
   * strategy's one Deployment ({@link ObjectLabels#ROLLING}).
   */
  public static String deploymentName(String app, String hash) {
    return ObjectLabels.ROLLING.equals(hash) ? app : app + "-" + hash;
  }

  /** Name of the active Service (the app's own name, so clients keep using it). */
  public static String activeServiceName(String app) {
    return app;
  }

  /** Name of the preview Service. */
  public static String previewServiceName(String app) {
    return app + "-preview";
  }

  /** Name of the ControllerRevision that keeps one revision's template. */
  public static String revisionName(String app, String hash) {
    return app + "-" + hash;
  }
}
