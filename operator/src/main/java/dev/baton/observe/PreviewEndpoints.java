package dev.baton.observe;

import dev.baton.planning.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Counts a version's pods that the EndpointSlice controller lists as ready behind the preview
 * Service: the promotion gate's signal ({@link dev.baton.planning.VersionState#readyEndpoints}).
 *
 * <p>Why not Baton's own pod cache: a pod Baton has seen Ready may not yet be in the controller's
 * slices, and switching then dips the active Service's ready endpoints. Why not the Deployment's
 * status: it trails the pods by as much as the controller-manager's queues (seconds under load).
 */
public final class PreviewEndpoints {

  private PreviewEndpoints() {}

  /**
   * The version's pods of the Deployment's current template (a restart changes the template's
   * {@link Labels#RESTARTED_AT}) that are ready endpoints of the preview Service; 0 when the
   * Deployment has minReadySeconds (readiness is not availability then).
   */
  public static int count(Deployment d, Collection<Pod> pods, Set<String> readyPreviewPods) {
    if (readyPreviewPods.isEmpty()) {
      return 0;
    }
    if (Objects.requireNonNullElse(d.getSpec().getMinReadySeconds(), 0) > 0) {
      return 0;
    }
    // Not gated on status.observedGeneration: the Deployment controller writes it in the same
    // lagging queue as availableReplicas (a first gate that required it never fired under load).
    // Counting only pods of the current template is what makes the count safe.
    String restartedAt = restartedAt(d.getSpec().getTemplate() == null ? null
        : d.getSpec().getTemplate().getMetadata() == null ? null
        : d.getSpec().getTemplate().getMetadata().getAnnotations());
    return (int) pods.stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> Objects.equals(restartedAt, restartedAt(p.getMetadata().getAnnotations())))
        .filter(p -> readyPreviewPods.contains(p.getMetadata().getName()))
        .count();
  }

  /**
   * The pods a controller slice lists as ready: the gate's signal, read by the snapshot and by
   * the update filter that decides whether a slice change reconciles.
   */
  public static Set<String> readyPods(EndpointSlice slice) {
    if (slice.getEndpoints() == null) {
      return Set.of();
    }
    return slice.getEndpoints().stream()
        .filter(e -> e.getConditions() != null && Boolean.TRUE.equals(e.getConditions().getReady())
            && e.getTargetRef() != null && "Pod".equals(e.getTargetRef().getKind()))
        .map(e -> e.getTargetRef().getName())
        .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
  }

  private static String restartedAt(Map<String, String> annotations) {
    return annotations == null ? null : annotations.get(Labels.RESTARTED_AT);
  }
}
