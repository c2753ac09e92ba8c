package dev.baton.apply;

import dev.baton.planning.DatabaseTopology;
import dev.baton.planning.Labels;
import dev.baton.shard.ShardAssignment;
import dev.baton.shard.ShardScope;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves an app's children into the shard that reconciles it now. A shard's informers see only
 * children labelled with its shard, so after the app changed shards (the shard count changed,
 * or the user relabelled it) its children are invisible to the new owner until they carry the
 * new label. The new owner lists them once, straight from the API server, and labels them; it
 * plans nothing for the app until its caches show them all, since a plan from caches that miss
 * the live Deployment or Service would take the app for a new one.
 */
public final class ShardAdoption {

  private static final Logger LOG = LoggerFactory.getLogger(ShardAdoption.class);

  private final KubernetesClient client;
  private final ShardScope scope;

  public ShardAdoption(KubernetesClient client, ShardScope scope) {
    this.client = client;
    this.scope = scope;
  }

  /** A child that was labelled for this shard: kind and name. */
  public record Moved(String kind, String name) {}

  /**
   * Labels the app's children that carry another shard's label (or none) with this shard's.
   *
   * @return what was labelled; empty when every child already was (or there are none)
   */
  public List<Moved> adopt(String namespace, String app) {
    String selector = Labels.APP + "=" + app;
    List<Moved> found = new ArrayList<>();
    // The Deployments last: a reconcile that sees them in its cache has seen most of the rest.
    for (Class<? extends HasMetadata> kind : List.of(Service.class, ControllerRevision.class,
        EndpointSlice.class, Job.class, Ingress.class, HTTPRoute.class)) {
      if (kind == HTTPRoute.class && !client.supports(HTTPRoute.class)) {
        continue;
      }
      String only = kind == EndpointSlice.class ? selector + "," + DatabaseTopology.SLICE_MANAGED_BY
          + "=" + DatabaseTopology.SLICE_MANAGER : selector;
      for (HasMetadata child : client.resources(kind).inNamespace(namespace)
          .withLabelSelector(only).list().getItems()) {
        relabel(kind.getSimpleName(), child, () -> client.resources(kind).inNamespace(namespace)
            .withName(child.getMetadata().getName()).patch(PATCH, patch()), found);
      }
    }
    for (String kind : List.of("TraefikService", "IngressRoute")) {
      if (!client.supports("traefik.io/v1alpha1", kind)) {
        continue;
      }
      var resources = client.genericKubernetesResources(traefik(kind)).inNamespace(namespace);
      for (GenericKubernetesResource child : resources.withLabelSelector(selector).list()
          .getItems()) {
        relabel(kind, child, () -> resources.withName(child.getMetadata().getName())
            .patch(PATCH, patch()), found);
      }
    }
    for (Deployment child : client.resources(Deployment.class).inNamespace(namespace)
        .withLabelSelector(selector).list().getItems()) {
      relabel("Deployment", child, () -> client.resources(Deployment.class).inNamespace(namespace)
          .withName(child.getMetadata().getName()).patch(PATCH, patch()), found);
    }
    if (!found.isEmpty()) {
      LOG.info("Moved {} children of {}/{} into shard {}", found.size(), namespace, app,
          scope.shard());
    }
    return found;
  }

  private static final PatchContext PATCH = PatchContext.of(PatchType.JSON_MERGE);

  private String patch() {
    return "{\"metadata\":{\"labels\":{\"" + ShardAssignment.LABEL + "\":\"" + scope.label()
        + "\"}}}";
  }

  private void relabel(String kind, HasMetadata child, Runnable patch, List<Moved> moved) {
    Map<String, String> labels = child.getMetadata().getLabels();
    if (child.getMetadata().getDeletionTimestamp() != null
        || scope.label().equals(labels == null ? null : labels.get(ShardAssignment.LABEL))) {
      return;
    }
    try {
      patch.run();
      moved.add(new Moved(kind, child.getMetadata().getName()));
    } catch (KubernetesClientException e) {
      // Deleted meanwhile: nothing to move.
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private static ResourceDefinitionContext traefik(String kind) {
    return new ResourceDefinitionContext.Builder().withGroup("traefik.io").withVersion("v1alpha1")
        .withKind(kind).withPlural(kind.toLowerCase(java.util.Locale.ROOT) + "s")
        .withNamespaced(true).build();
  }
}
