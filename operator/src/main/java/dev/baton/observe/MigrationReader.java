package dev.baton.observe;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.MigrationStatus;
import dev.baton.api.v1alpha1.MigrationStatus.State;
import dev.baton.planning.Labels;
import dev.baton.planning.MigrationJobs;
import dev.baton.planning.MigrationSnapshot;
import dev.baton.planning.MigrationSnapshot.ObservedJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Builds a {@link MigrationSnapshot} of one BatonApp from the Job cache and its status. */
public final class MigrationReader {

  private final ManagedInformers informers;

  public MigrationReader(ManagedInformers informers) {
    this.informers = informers;
  }

  public MigrationSnapshot read(BatonApp app) {
    String name = app.getMetadata().getName();
    String namespace = app.getMetadata().getNamespace();
    List<Job> cached = new java.util.ArrayList<>(informers.jobsOf(namespace, name).toList());
    var status = app.getStatus();
    List<MigrationStatus> recorded = status == null || status.migrations == null
        ? List.of() : status.migrations;
    // A Job this process just created is in status (Jobs go before the record) but in the index
    // only once the watch delivers it; a reconcile in between must find it by name, or it would
    // take the Job for one deleted before it finished and abort the rollout (seen in MigrationIT
    // under load: the abort came 18 ms after the create).
    Set<String> indexed = cached.stream().map(j -> j.getMetadata().getName())
        .collect(Collectors.toSet());
    for (MigrationStatus m : recorded) {
      if (m.jobName != null && !indexed.contains(m.jobName)) {
        informers.job(namespace, m.jobName).ifPresent(cached::add);
      }
    }
    List<ObservedJob> jobs = cached.stream()
        .filter(j -> j.getMetadata().getDeletionTimestamp() == null)
        .map(MigrationReader::observed)
        .flatMap(Optional::stream)
        .toList();
    Set<Integer> served = status == null || status.history == null ? Set.of()
        : status.history.stream().filter(r -> r.promotedAt != null && r.revision != null)
            .map(r -> r.revision).collect(Collectors.toSet());
    return new MigrationSnapshot(jobs, recorded, served);
  }

  /** A Job written by Baton; one without readable labels is left out. */
  public static Optional<ObservedJob> observed(Job job) {
    var phase = MigrationJobs.phaseOf(ManagedInformers.label(job, MigrationJobs.PHASE));
    Integer revision = number(ManagedInformers.label(job, Labels.REVISION));
    Integer attempt = number(ManagedInformers.label(job, MigrationJobs.ATTEMPT));
    if (phase == null || revision == null || attempt == null) {
      return Optional.empty();
    }
    JobStatus st = job.getStatus() != null ? job.getStatus() : new JobStatus();
    List<JobCondition> conditions = st.getConditions() == null ? List.of() : st.getConditions();
    Optional<JobCondition> complete = condition(conditions, "Complete");
    Optional<JobCondition> failed = condition(conditions, "Failed");
    State state;
    Instant finished = null;
    String reason = null;
    String message = null;
    if (complete.isPresent()) {
      state = State.Succeeded;
      finished = instant(Objects.requireNonNullElse(st.getCompletionTime(),
          complete.get().getLastTransitionTime()));
    } else if (failed.isPresent()) {
      state = State.Failed;
      finished = instant(failed.get().getLastTransitionTime());
      reason = failed.get().getReason();
      message = failed.get().getMessage();
    } else {
      state = Objects.requireNonNullElse(st.getActive(), 0) > 0 ? State.Running : State.Pending;
    }
    return Optional.of(new ObservedJob(job.getMetadata().getName(), phase, revision, attempt,
        state, reason, message, instant(job.getMetadata().getCreationTimestamp()), finished));
  }

  private static Optional<JobCondition> condition(List<JobCondition> conditions, String type) {
    return conditions.stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
  }

  private static Integer number(String value) {
    try {
      return value == null ? null : Integer.valueOf(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Instant instant(String value) {
    return value == null ? null : Instant.parse(value);
  }
}
