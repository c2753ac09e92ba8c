package dev.baton.chaos;

import dev.baton.api.v1alpha1.BatonApp;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deletions by hand of Baton's children that serve no request, as a careless
 * {@code kubectl delete} would do them; Baton must put each back.
 *
 * <p>The candidates: a blue/green app's preview Service (the proxy sends it nothing, ever: it
 * has weight 0 in the canary Ingress and the HTTPRoute, and a TraefikService leaves it out; the
 * switch moves the active Service's selector), and the data tier's role Services and the
 * EndpointSlice Baton writes for IP endpoints ({@code <app>-db-primary}, {@code -db-replicas},
 * {@code -cache}, {@code -db-replicas-<port>}), which the harness sends no request to. Not the
 * active Service, the traffic objects or a canary's preview Service: those carry the requests,
 * and a deletion cuts them until Baton writes them again whatever Baton does. Not the
 * Deployments (a Deployment deleted by hand takes its pods with it) nor the migration Jobs (one
 * deleted would be one Baton must not run again), nor the ControllerRevisions (the revision
 * history an undo reads).
 */
final class HandDeletions {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(
      HandDeletions.class);

  /** One child deleted. */
  record Deleted(String kind, String name) {}

  private final KubernetesClient client;
  private final List<Deleted> candidates = new ArrayList<>();
  private final List<Deleted> deleted = new ArrayList<>();

  /**
   * @param apps the run's apps
   * @param replicaPort the port of the data tier's read replicas (the slice is named after it)
   */
  HandDeletions(KubernetesClient client, List<BatonApp> apps, int replicaPort) {
    this.client = client;
    for (BatonApp app : apps) {
      String name = app.getMetadata().getName();
      if (app.getSpec().strategy.blueGreen != null) {
        candidates.add(new Deleted("Service", name + "-preview"));
      }
      if (app.getSpec().database != null) {
        candidates.add(new Deleted("Service", name + "-db-primary"));
        candidates.add(new Deleted("Service", name + "-db-replicas"));
        candidates.add(new Deleted("Service", name + "-cache"));
        candidates.add(new Deleted("EndpointSlice", name + "-db-replicas-" + replicaPort));
      }
    }
  }

  /** Deletes one candidate drawn from {@code random}; returns the fault's kind. */
  synchronized String deleteOne(SplittableRandom random) {
    Deleted d = candidates.get(random.nextInt(candidates.size()));
    resource(d).delete();
    deleted.add(d);
    LOG.info("chaos: deleted {} {} by hand", d.kind(), d.name());
    return d.name().endsWith("-preview") ? "preview Service deleted by hand"
        : d.kind().equals("Service") ? "data-tier Service deleted by hand"
        : "Baton's data-tier EndpointSlice deleted by hand";
  }

  synchronized int count() {
    return deleted.size();
  }

  /** The children deleted by hand that do not exist now. */
  synchronized List<String> missing() {
    return deleted.stream().distinct().filter(d -> resource(d).get() == null)
        .map(d -> d.kind() + " " + d.name()).toList();
  }

  private Resource<? extends HasMetadata> resource(Deleted d) {
    return d.kind().equals("Service") ? client.services().withName(d.name())
        : client.resources(EndpointSlice.class).withName(d.name());
  }
}
