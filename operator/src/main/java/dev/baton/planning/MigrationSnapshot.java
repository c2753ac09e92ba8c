package dev.baton.planning;

import dev.baton.api.v1alpha1.MigrationStatus;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What the migration gate may know besides the {@link Snapshot}: the app's migration Jobs as the
 * cache shows them, and what status recorded about earlier ones (a Job deleted by hand is still
 * known to have run).
 *
 * @param jobs the app's migration Jobs
 * @param recorded {@code status.migrations} as last written
 * @param servedRevisions revisions that served traffic once ({@code status.history} promotedAt):
 *     they are never gated again, so an undo does not re-run an expand
 */
public record MigrationSnapshot(List<ObservedJob> jobs, List<MigrationStatus> recorded,
    Set<Integer> servedRevisions) {

  /** Nothing known: no Jobs, no records. */
  public static final MigrationSnapshot EMPTY = new MigrationSnapshot(List.of(), List.of(),
      Set.of());

  /**
   * One migration Job as observed.
   *
   * @param name the Job's name
   * @param phase which migration (from its labels)
   * @param revision the revision it belongs to (from its labels)
   * @param attempt the attempt of the revision's rollout (from its labels)
   * @param state Pending, Running, Succeeded or Failed (from its status)
   * @param reason the reason of the Job's Failed condition, e.g. BackoffLimitExceeded
   * @param message the message of the Job's Failed condition
   * @param created when the Job was created
   * @param finished when it succeeded or failed, or null
   */
  public record ObservedJob(String name, MigrationStatus.Kind phase, int revision, int attempt,
      MigrationStatus.State state, String reason, String message, Instant created,
      Instant finished) {}
}
