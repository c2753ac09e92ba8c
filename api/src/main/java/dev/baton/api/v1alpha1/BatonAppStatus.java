package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;

/** What Baton observed and did, following the Kubernetes API conventions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BatonAppStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  public Long observedGeneration;

  @JsonPropertyDescription("Healthy, Progressing, Paused, Degraded or Aborted.")
  public Phase phase;

  @JsonPropertyDescription("Human-readable summary of the phase.")
  public String message;

  @JsonPropertyDescription("Available, Progressing, Paused, Degraded, InvalidSpec and (with "
      + "migrations) Migrated, each with reason, message, lastTransitionTime and "
      + "observedGeneration.")
  public List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Revision number of the version that serves traffic.")
  public Integer activeRevision;

  @JsonPropertyDescription("Revision number of the version being rolled out, if any.")
  public Integer previewRevision;

  @JsonPropertyDescription("Pod-template hash of the version that serves traffic (the "
      + "baton.dev/revision-hash label of its pods).")
  public String activeHash;

  @JsonPropertyDescription("Pod-template hash of the version being rolled out, if any.")
  public String previewHash;

  @JsonPropertyDescription("Index (from 0) of the rollout step in progress: a canary step or a "
      + "blue/green traffic step. Absent when no stepped rollout runs.")
  public Integer currentStep;

  @JsonPropertyDescription("Percent of traffic the new version receives, as read back from the "
      + "ingress or route (or, without a provider, its share of the ready pods). 0 when idle.")
  public Integer trafficWeight;

  @StatusReplicas
  @JsonPropertyDescription("Pods of the live version (for the scale subresource).")
  public Integer replicas;

  @JsonPropertyDescription("Ready pods of the live version.")
  public Integer readyReplicas;

  @JsonPropertyDescription("Available pods of the live version (Ready for minReadySeconds).")
  public Integer availableReplicas;

  @JsonPropertyDescription("Ready pods of the version being rolled out.")
  public Integer previewReadyReplicas;

  @JsonPropertyDescription("Ready and desired pods of the live version, as shown by kubectl get.")
  public String ready;

  @LabelSelector
  @JsonPropertyDescription("Label selector of the live version's pods (for the scale subresource "
      + "and autoscalers).")
  public String selector;

  @JsonPropertyDescription("Set while an undo is in force: Baton runs this earlier revision "
      + "instead of spec.template, until spec.template changes.")
  public RollbackStatus rollback;

  @JsonPropertyDescription("The rollout towards the target revision: step, timers, promotion and "
      + "abort, as Baton records them between reconciles.")
  public RolloutStatus rollout;

  @JsonPropertyDescription("Replaced versions kept warm for their rollback window, with when each "
      + "is scaled down.")
  public List<RetiringVersion> retiring;

  @JsonPropertyDescription("Recent revisions, newest first: image, when promoted or aborted, why.")
  public List<RevisionRecord> history = new ArrayList<>();

  @JsonPropertyDescription("Recent migration Jobs (spec.database.migration), newest first: phase, "
      + "revision, Job name, state, start and completion times.")
  public List<MigrationStatus> migrations;

  @JsonPropertyDescription("Analysis runs of recent revisions, keyed by revision, attempt and "
      + "step: each run's verdict and its metrics' counts and last measurements.")
  public List<AnalysisRunStatus> analysis;
}
