package dev.baton.apply;

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
public final class ChildApplier {

  /** Baton's field manager: the owner of every field Baton writes. */
  static final String FIELD_MANAGER = "baton";

  private final KubernetesClient client;

  public ChildApplier(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Applies a child unless the cached one already matches; returns what the server holds. The
   * same means the same {@link Labels#APPLIED} digest and, for the fields others write too, the
   * same replicas (a Deployment) or selector (a Service). An object without a digest is always
   * written (a ControllerRevision, rendered only when absent).
   */
  public <T extends HasMetadata> Optional<T> apply(T desired, Optional<T> cached) {
    boolean same = cached.isPresent() && sameApplied(desired, cached.get())
        && sameShared(desired, cached.get());
    return same ? Optional.empty() : Optional.of(serverSideApply(desired));
  }

  public void delete(HasMetadata object) {
    client.resource(object).delete();
  }

  private <T extends HasMetadata> T serverSideApply(T desired) {
    // Force: Baton is the only writer of the fields it applies; a conflict means someone edited a
    // managed object by hand, and the plan must win for the zero-downtime promise to hold.
    return client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  private static boolean sameShared(HasMetadata desired, HasMetadata cached) {
    if (desired instanceof Deployment d && cached instanceof Deployment c) {
      return Objects.equals(d.getSpec().getReplicas(), c.getSpec().getReplicas());
    }
    if (desired instanceof Service d && cached instanceof Service c) {
      return Objects.equals(d.getSpec().getSelector(), c.getSpec().getSelector());
    }
    return true;
  }

  private static boolean sameApplied(HasMetadata desired, HasMetadata cached) {
    var wanted = desired.getMetadata().getAnnotations();
    String want = wanted == null ? null : wanted.get(Labels.APPLIED);
    var annotations = cached.getMetadata().getAnnotations();
    return want != null && annotations != null && want.equals(annotations.get(Labels.APPLIED));
  }
}
