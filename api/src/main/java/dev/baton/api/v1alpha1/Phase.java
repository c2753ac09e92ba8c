package dev.baton.api.v1alpha1;

/** The one-word state of a BatonApp, shown by {@code kubectl get bapp}. */
public enum Phase {
  /** The live version is fully available and no rollout is under way. */
  Healthy,
  /** A new revision is being rolled out, or the live version is not yet fully available. */
  Progressing,
  /** The app is paused, or waits for a manual promote. */
  Paused,
  /** The live version has fewer available pods than desired, or the last rollout was aborted. */
  Degraded,
  /** The last rollout was aborted on request; the live version serves. */
  Aborted
}
