package dev.baton.render;

import dev.baton.api.v1alpha1.IngressSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Baton-labelled children of one app as the caches hold them at the snapshot, as plain data:
 * what the renderer compares the desired set with (what exists, what goes, the template a kept
 * Deployment falls back to).
 *
 * @param deployments the app's Deployments
 * @param revisions the app's ControllerRevisions
 * @param services the app's Services (active, preview and the data tier's role Services)
 * @param slices the EndpointSlices Baton wrote for the app; never the EndpointSlice controller's
 * @param traffic the app's traffic objects by the provider they belong to
 * @param jobs the app's Jobs (migration and analysis)
 */
public record AppChildren(List<Deployment> deployments, List<ControllerRevision> revisions,
    List<Service> services, List<EndpointSlice> slices,
    Map<IngressSpec.Provider, List<HasMetadata>> traffic, List<Job> jobs) {

  /** An app with no children yet. */
  public static final AppChildren NONE = new AppChildren(List.of(), List.of(), List.of(),
      List.of(), Map.of(), List.of());

  public AppChildren {
    deployments = List.copyOf(deployments);
    revisions = List.copyOf(revisions);
    services = List.copyOf(services);
    slices = List.copyOf(slices);
    traffic = Map.copyOf(traffic);
    jobs = List.copyOf(jobs);
  }

  /** The Deployment of this name, if the cache holds it. */
  public Optional<Deployment> deployment(String name) {
    return named(deployments, name);
  }

  /** The ControllerRevision of this name, if the cache holds it. */
  public Optional<ControllerRevision> revision(String name) {
    return named(revisions, name);
  }

  /** The Job of this name, if the cache holds it. */
  public Optional<Job> job(String name) {
    return named(jobs, name);
  }

  /** The objects of a provider, as stored. */
  public List<HasMetadata> trafficOf(IngressSpec.Provider provider) {
    return traffic.getOrDefault(provider, List.of());
  }

  private static <T extends HasMetadata> Optional<T> named(List<T> objects, String name) {
    return objects.stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
  }
}
