package dev.baton.planning;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a planner may know, read from the informer caches at one moment.
 *
 * @param app the spec with defaults applied
 * @param target the revision the spec asks for: its hash and template
 * @param targetRevisionIfNew the number to give the target revision if no version has it yet
 * @param versions the app's versions by hash
 * @param activeHash the hash the active Service selects, if the Service exists
 * @param invalidSpec why the spec cannot be acted on, if it cannot (checks CEL cannot express)
 * @param commands the manual commands waiting on the BatonApp
 * @param restartedAt the restart value the live version runs with, if any
 * @param now the planning clock
 */
public record Snapshot(
    AppSettings app,
    Target target,
    int targetRevisionIfNew,
    Map<String, VersionState> versions,
    Optional<String> activeHash,
    Optional<String> invalidSpec,
    Commands commands,
    Instant now) {

  /**
   * The revision the spec asks for.
   *
   * @param hash hash of the pod template (and of the content it references)
   * @param template the pod template to run
   */
  public record Target(String hash, PodTemplateSpec template) {}
}
