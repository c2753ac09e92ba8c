package dev.baton.operator;

import dev.baton.planning.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes desired child objects with server-side apply under Baton's field manager, and only when
 * they differ from what the cache shows: an idle app costs no write. It never decides anything.
 */
final class ChildApplier {

  /** Baton's field manager: the owner of every field Baton writes. */
  static final String FIELD_MANAGER = "baton";

  private final KubernetesClient client;

  ChildApplier(KubernetesClient client) {
    this.client = client;
  }

  /** Applies a Deployment unless the cached one already matches; returns what the server holds. */
  Optional<Deployment> apply(Deployment desired, Optional<Deployment> cached) {
    boolean same = cached.isPresent() && sameApplied(desired, cached.get())
        && Objects.equals(desired.getSpec().getReplicas(), cached.get().getSpec().getReplicas());
    return same ? Optional.empty() : Optional.of(serverSideApply(desired));
  }

  /** Applies a Service unless the cached one already matches; returns what the server holds. */
  Optional<Service> apply(Service desired, Optional<Service> cached) {
    boolean same = cached.isPresent() && sameApplied(desired, cached.get())
        && Objects.equals(desired.getSpec().getSelector(), cached.get().getSpec().getSelector());
    return same ? Optional.empty() : Optional.of(serverSideApply(desired));
  }

  /** Applies any other child (role Services, EndpointSlices) unless the cache matches. */
  <T extends HasMetadata> Optional<T> applyIfChanged(T desired, Optional<T> cached) {
    boolean same = cached.isPresent() && sameApplied(desired, cached.get());
    return same ? Optional.empty() : Optional.of(serverSideApply(desired));
  }

  void delete(HasMetadata object) {
    client.resource(object).delete();
  }

  private <T extends HasMetadata> T serverSideApply(T desired) {
    // Force: Baton is the only writer of the fields it applies; a conflict means someone edited a
    // managed object by hand, and the plan must win for the zero-downtime promise to hold.
    return client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  private static boolean sameApplied(HasMetadata desired, HasMetadata cached) {
    String want = desired.getMetadata().getAnnotations().get(Labels.APPLIED);
    var annotations = cached.getMetadata().getAnnotations();
    return annotations != null && Objects.equals(want, annotations.get(Labels.APPLIED));
  }
}
