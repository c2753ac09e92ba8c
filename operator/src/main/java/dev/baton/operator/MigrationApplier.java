package dev.baton.operator;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.planning.AppSettings;
import dev.baton.planning.MigrationJob;
import dev.baton.planning.MigrationJobs;
import dev.baton.planning.MigrationPlanner;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.net.HttpURLConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and deletes the migration Jobs a {@link MigrationPlanner.Decision} asks for. Jobs are
 * created, never applied or updated: a Job's template is immutable and a second run is exactly
 * what must not happen. It never decides anything.
 */
final class MigrationApplier {

  private static final Logger LOG = LoggerFactory.getLogger(MigrationApplier.class);

  private final KubernetesClient client;
  private final ManagedInformers informers;

  MigrationApplier(KubernetesClient client, ManagedInformers informers) {
    this.client = client;
    this.informers = informers;
  }

  void apply(BatonApp app, AppSettings settings, OwnerReference owner,
      MigrationPlanner.Decision decision) {
    ResourceID primary = ResourceID.fromResource(app);
    for (MigrationJob job : decision.create()) {
      Job desired = MigrationJobs.desired(settings, owner, job);
      try {
        Job created = client.resource(desired).create();
        // In the cache at once: the next reconcile must see the Job, never create it again.
        informers.jobs().handleRecentResourceCreate(primary, created);
        LOG.info("Created migration Job {}", job.name());
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          throw e;
        }
        // It exists: an earlier reconcile created it and the cache has not caught up. Exactly
        // once holds; the watch will deliver it.
        LOG.info("Migration Job {} exists already", job.name());
      }
    }
    for (String name : decision.delete()) {
      informers.jobs().get(new ResourceID(name, settings.namespace()))
          .ifPresent(j -> client.resource(j).withPropagationPolicy(
              io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete());
    }
  }
}
