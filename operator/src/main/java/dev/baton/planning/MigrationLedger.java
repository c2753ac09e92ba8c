package dev.baton.planning;

import dev.baton.api.v1alpha1.MigrationStatus;
import dev.baton.api.v1alpha1.MigrationStatus.Kind;
import dev.baton.api.v1alpha1.MigrationStatus.State;
import dev.baton.planning.MigrationSnapshot.ObservedJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The migrations of an app in one reconcile: {@code status.migrations} merged with the Jobs as
 * observed (the Job is the record, the status the second one), the Jobs to create, the finished
 * Jobs of revisions that left the history (to delete), and the Events of what changed.
 */
final class MigrationLedger {

  private final Snapshot s;
  private final Instant now;
  private final Map<String, MigrationStatus> entries = new LinkedHashMap<>();
  private final List<MigrationJob> create = new ArrayList<>();
  private final List<PlannedEvent> events = new ArrayList<>();
  private final List<MigrationStatus> finished = new ArrayList<>();
  private final List<String> delete = new ArrayList<>();

  /** The ledger as {@code m} and the snapshot show it; {@code target} is the plan's target. */
  MigrationLedger(Snapshot s, MigrationSnapshot m, String target) {
    this.s = s;
    this.now = s.now();
    observe(m, target);
  }

  /** Status entries from the records and the Jobs; events for Jobs seen finishing. */
  private void observe(MigrationSnapshot m, String target) {
    // Only revisions that can still run matter: the versions, the history and the target.
    Set<Integer> known = new HashSet<>();
    s.versions().values().forEach(v -> known.add(v.revision()));
    s.stored().forEach(r -> known.add(r.revision()));
    known.add(s.revisionOf(target));
    for (MigrationStatus r : m.recorded()) {
      if (r.jobName != null && r.revision != null && known.contains(r.revision)) {
        entries.put(r.jobName, copyOf(r));
      }
    }
    Map<String, ObservedJob> jobs = new HashMap<>();
    m.jobs().forEach(j -> jobs.put(j.name(), j));
    for (ObservedJob j : m.jobs()) {
      if (!known.contains(j.revision())) {
        if (isDone(j.state())) {
          delete.add(j.name());
        }
        continue;
      }
      MigrationStatus before = entries.get(j.name());
      MigrationStatus e = before != null ? copyOf(before) : new MigrationStatus();
      e.phase = j.phase();
      e.revision = j.revision();
      e.attempt = j.attempt();
      e.jobName = j.name();
      e.state = j.state();
      if (e.startTime == null && j.created() != null) {
        e.startTime = j.created().toString();
      }
      e.completionTime = j.finished() != null ? j.finished().toString() : null;
      e.message = j.state() == State.Failed ? failure(j.reason(), j.message()) : null;
      if (isDone(j.state()) && (before == null || !isDone(before.state))) {
        finished(e);
      }
      entries.put(j.name(), e);
    }
    // A Job deleted before it finished: it ran (or may have), so it is not created again.
    for (MigrationStatus e : entries.values()) {
      if (!jobs.containsKey(e.jobName) && !isDone(e.state)) {
        e.state = State.Failed;
        e.completionTime = now.toString();
        e.message = "The Job was deleted before it finished.";
        finished(e);
      }
    }
  }

  private void finished(MigrationStatus e) {
    finished.add(e);
    String what = label(e.phase) + " migration of revision " + e.revision + " (Job "
        + e.jobName + ")";
    events.add(e.state == State.Succeeded
        ? PlannedEvent.normal("MigrationSucceeded", what + " succeeded.")
        : PlannedEvent.warning("MigrationFailed", what + " failed: " + e.message));
  }

  /** Creates {@code job} in this reconcile, recorded as Pending. */
  void start(MigrationJob job) {
    create.add(job);
    MigrationStatus e = new MigrationStatus();
    e.phase = job.phase();
    e.revision = job.revision();
    e.attempt = job.attempt();
    e.jobName = job.name();
    e.state = State.Pending;
    e.startTime = now.toString();
    entries.put(job.name(), e);
    events.add(PlannedEvent.normal("MigrationStarted", label(job.phase()) + " migration of "
        + "revision " + job.revision() + " started (Job " + job.name() + ")."));
  }

  /** A migration Job of the app that has not finished: no other one starts meanwhile. */
  Optional<MigrationStatus> running() {
    return entries.values().stream().filter(e -> !isDone(e.state)).findFirst();
  }

  /** True when this reconcile creates a Job already. */
  boolean creates() {
    return !create.isEmpty();
  }

  /** The newest attempt of a revision's rollout that ran a migration (1 when none did). */
  int attempt(int rev) {
    return entries.values().stream()
        .filter(e -> e.revision != null && e.revision == rev && e.attempt != null)
        .mapToInt(e -> e.attempt).max().orElse(1);
  }

  /** The migration of this revision, phase and attempt, if it ran or runs. */
  Optional<MigrationStatus> entry(int rev, Kind phase, int attempt) {
    return Optional.ofNullable(entries.get(
        MigrationJob.nameOf(s.app().name(), rev, phase, attempt)));
  }

  /** True when a migration of this phase of the revision ran (or runs), in this state if given. */
  boolean ran(int rev, Kind phase, State state) {
    return entries.values().stream().anyMatch(e -> e.phase == phase && rev == e.revision
        && (state == null || e.state == state));
  }

  /** The migration of the revision that started last, if any. */
  Optional<MigrationStatus> newest(int rev) {
    return entries.values().stream()
        .filter(e -> e.revision != null && e.revision == rev)
        .max(Comparator.comparing((MigrationStatus e) -> instant(e.startTime),
            Comparator.nullsFirst(Comparator.naturalOrder())));
  }

  List<PlannedEvent> events() {
    return events;
  }

  /** The result, with {@code plan} as the gate left it. */
  MigrationPlanner.Decision decision(Plan plan) {
    List<MigrationStatus> status = entries.values().stream()
        .sorted(Comparator.comparing((MigrationStatus e) -> instant(e.startTime),
                Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(e -> e.jobName))
        .toList();
    return new MigrationPlanner.Decision(plan, create, status.isEmpty() ? null : status, delete,
        finished);
  }

  static boolean isDone(State state) {
    return state == State.Succeeded || state == State.Failed;
  }

  /** How a phase is named in messages and condition reasons. */
  static String label(Kind phase) {
    return switch (phase) {
      case expand -> "Expand";
      case contract -> "Contract";
      case onAbort -> "OnAbort";
    };
  }

  private static String failure(String reason, String message) {
    String detail = ForeignMessage.asSentence(message);
    if (reason == null && detail.isEmpty()) {
      return "the Job failed.";
    }
    return (reason != null ? reason : "Failed") + (detail.isEmpty() ? "." : ": " + detail);
  }

  private static Instant instant(String value) {
    return value == null ? null : Instant.parse(value);
  }

  private static MigrationStatus copyOf(MigrationStatus r) {
    MigrationStatus c = new MigrationStatus();
    c.phase = r.phase;
    c.revision = r.revision;
    c.attempt = r.attempt;
    c.jobName = r.jobName;
    c.state = r.state;
    c.startTime = r.startTime;
    c.completionTime = r.completionTime;
    c.message = r.message;
    return c;
  }
}
