package dev.baton.planning;

import dev.baton.api.v1alpha1.MigrationSpec;
import dev.baton.api.v1alpha1.MigrationStatus.Kind;
import dev.baton.api.v1alpha1.MigrationStep;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the migration Jobs. A Job is created once and never updated (its pod template is
 * immutable); its labels say which migration of which revision and attempt it is, so the cache
 * alone tells what ran.
 */
public final class MigrationJobs {

  /** On a migration Job and its pods: expand, contract or onAbort. */
  public static final String PHASE = "baton.dev/migration";
  /** On a migration Job: the attempt of the revision's rollout. */
  public static final String ATTEMPT = "baton.dev/migration-attempt";
  /** The container's name in a migration pod. */
  public static final String CONTAINER = "migrate";

  private MigrationJobs() {}

  /**
   * The Job of one migration. Its pods get the app's connection settings (credentials only by
   * secretKeyRef, as for the app), {@code BATON_REVISION} and {@code BATON_MIGRATION_PHASE}, then
   * the step's own env (which wins on a name clash). The pods carry none of the app's labels, so
   * no Service of the app selects them; only {@code migration.podLabels}.
   */
  public static Job desired(AppSettings app, OwnerReference owner, MigrationJob job) {
    MigrationSpec spec = app.database().migration;
    MigrationStep step = switch (job.phase()) {
      case expand -> spec.expand;
      case contract -> spec.contract;
      case onAbort -> spec.onAbort;
    };
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.APP, app.name());
    labels.put(Labels.REVISION_HASH, job.hash());
    labels.put(Labels.REVISION, Integer.toString(job.revision()));
    labels.put(PHASE, job.phase().name());
    labels.put(ATTEMPT, Integer.toString(job.attempt()));
    Map<String, String> podLabels = new LinkedHashMap<>();
    if (spec.podLabels != null) {
      podLabels.putAll(spec.podLabels);
    }
    podLabels.put(PHASE, job.phase().name());

    PodSpec appPod = app.template() == null ? null : app.template().getSpec();
    String serviceAccount = spec.serviceAccountName != null ? spec.serviceAccountName
        : appPod == null ? null : appPod.getServiceAccountName();
    return new JobBuilder()
        .withNewMetadata()
        .withName(job.name())
        .withNamespace(app.namespace())
        .withLabels(labels)
        .withOwnerReferences(owner)
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(spec.backoffLimit != null ? spec.backoffLimit : 0)
        .withActiveDeadlineSeconds(spec.activeDeadlineSeconds != null
            ? spec.activeDeadlineSeconds : 600L)
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(podLabels)
        .withAnnotations(spec.podAnnotations == null ? null : new LinkedHashMap<>(spec.podAnnotations))
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withServiceAccountName(serviceAccount)
        // The migration image most likely lives in the app's registry.
        .withImagePullSecrets(appPod == null ? null : appPod.getImagePullSecrets())
        .addNewContainer()
        .withName(CONTAINER)
        .withImage(spec.image)
        .withCommand(step == null ? null : step.command)
        .withArgs(step == null ? null : step.args)
        .withEnv(env(app, job, step))
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static List<EnvVar> env(AppSettings app, MigrationJob job, MigrationStep step) {
    Map<String, EnvVar> byName = new LinkedHashMap<>();
    for (EnvVar e : DatabaseTopology.connectionEnv(app.name(), app.database())) {
      byName.put(e.getName(), e);
    }
    byName.put("BATON_REVISION", new EnvVarBuilder().withName("BATON_REVISION")
        .withValue(Integer.toString(job.revision())).build());
    byName.put("BATON_MIGRATION_PHASE", new EnvVarBuilder().withName("BATON_MIGRATION_PHASE")
        .withValue(job.phase().name()).build());
    if (step != null && step.env != null) {
      step.env.forEach(e -> byName.put(e.getName(), e));
    }
    return new ArrayList<>(byName.values());
  }

  /** The phase named by a Job's label, or null. */
  public static Kind phaseOf(String label) {
    if (label == null) {
      return null;
    }
    for (Kind k : Kind.values()) {
      if (k.name().equals(label)) {
        return k;
      }
    }
    return null;
  }
}
