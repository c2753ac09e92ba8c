package dev.baton.testcluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The zero-downtime promise, checked: watches the EndpointSlices of an active Service (kept by the
 * real controller-manager) and records every moment, once armed, when they hold fewer ready
 * endpoints than the live replica count, or list as ready a pod that is not Ready.
 *
 * <p>A selector switched to pods that are not yet ready, or a live version scaled down too early,
 * shows up here as a violation.
 */
public final class CapacityWatcher implements AutoCloseable {

  private final SharedIndexInformer<EndpointSlice> informer;
  private final SharedIndexInformer<Pod> pods;
  private final AtomicInteger minimum;
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final List<Suspect> suspects = new CopyOnWriteArrayList<>();
  private volatile boolean armed;

  /**
   * @param service the active Service's name
   * @param minimum the live replica count
   */
  public CapacityWatcher(KubernetesClient client, String service, int minimum) {
    this.minimum = new AtomicInteger(minimum);
    this.pods = client.pods().inform();
    this.informer = client.discovery().v1().endpointSlices()
        .withLabel("kubernetes.io/service-name", service)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(EndpointSlice slice) {
            check();
          }

          @Override
          public void onUpdate(EndpointSlice oldSlice, EndpointSlice newSlice) {
            check();
          }

          @Override
          public void onDelete(EndpointSlice slice, boolean unknown) {
            check();
          }
        });
  }

  /** Starts checking: call once the app has been Healthy. */
  public void arm() {
    armed = true;
    check();
  }

  /** Changes the required count, e.g. once a scale-up has completed. */
  public void require(int replicas) {
    minimum.set(replicas);
    check();
  }

  /** Stops checking, e.g. before a test breaks live pods on purpose. */
  public void disarm() {
    armed = false;
  }

  /** Ready endpoints across the Service's slices now. */
  public long readyEndpoints() {
    return informer.getStore().list().stream()
        .flatMap(s -> s.getEndpoints() == null ? java.util.stream.Stream.<Endpoint>empty()
            : s.getEndpoints().stream())
        .filter(e -> e.getConditions() != null
            && Objects.equals(Boolean.TRUE, e.getConditions().getReady()))
        .count();
  }

  /** Pods listed as ready endpoints whose own Ready condition is not True. */
  private List<Pod> readyEndpointsOfUnreadyPods() {
    return informer.getStore().list().stream()
        .flatMap(s -> s.getEndpoints() == null ? java.util.stream.Stream.<Endpoint>empty()
            : s.getEndpoints().stream())
        .filter(e -> e.getConditions() != null
            && Objects.equals(Boolean.TRUE, e.getConditions().getReady()))
        .filter(e -> e.getTargetRef() != null && "Pod".equals(e.getTargetRef().getKind()))
        .map(e -> pods.getStore().getByKey(e.getTargetRef().getNamespace() + "/"
            + e.getTargetRef().getName()))
        .filter(Objects::nonNull)
        .filter(p -> readySince(p) == null)
        .toList();
  }

  /** When the pod became Ready, or null when it is not Ready. */
  private static java.time.Instant readySince(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return null;
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
        .map(c -> java.time.Instant.parse(c.getLastTransitionTime()))
        .findFirst().orElse(null);
  }

  /**
   * Every violation seen. A pod listed as ready while our pod cache said otherwise counts only if
   * the pod is still not Ready, or became Ready only after it was listed: the EndpointSlice and Pod
   * watches are not ordered, so the pod cache may lag a moment behind the slice.
   */
  public List<String> violations() {
    List<String> all = new java.util.ArrayList<>(violations);
    for (Suspect s : suspects) {
      Pod pod = pods.getStore().getByKey(s.pod().getMetadata().getNamespace() + "/"
          + s.pod().getMetadata().getName());
      java.time.Instant since = pod == null ? null : readySince(pod);
      // Pod conditions have whole seconds: allow the listing to fall in the same second.
      boolean lagged = since != null && !since.isAfter(s.seen().plusSeconds(1));
      if (pod != null && !lagged) {
        all.add(s.seen() + ": pod " + s.pod().getMetadata().getName()
            + " was listed as a ready endpoint while not Ready");
      }
    }
    return all;
  }

  private record Suspect(Pod pod, java.time.Instant seen) {}

  private synchronized void check() {
    if (!armed) {
      return;
    }
    long ready = readyEndpoints();
    int min = minimum.get();
    java.time.Instant now = java.time.Instant.now();
    readyEndpointsOfUnreadyPods().forEach(pod -> suspects.add(new Suspect(pod, now)));
    if (ready < min) {
      violations.add(java.time.Instant.now() + ": " + ready + " ready endpoints, " + min
          + " required");
    }
  }

  @Override
  public void close() {
    informer.close();
    pods.close();
  }
}
