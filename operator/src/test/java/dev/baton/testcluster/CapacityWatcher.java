package dev.baton.testcluster;

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
 * endpoints than the live replica count.
 *
 * <p>A selector switched to pods that are not yet ready, or a live version scaled down too early,
 * shows up here as a violation.
 */
public final class CapacityWatcher implements AutoCloseable {

  private final SharedIndexInformer<EndpointSlice> informer;
  private final AtomicInteger minimum;
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private volatile boolean armed;

  /**
   * @param service the active Service's name
   * @param minimum the live replica count
   */
  public CapacityWatcher(KubernetesClient client, String service, int minimum) {
    this.minimum = new AtomicInteger(minimum);
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

  public List<String> violations() {
    return List.copyOf(violations);
  }

  private synchronized void check() {
    if (!armed) {
      return;
    }
    long ready = readyEndpoints();
    int min = minimum.get();
    if (ready < min) {
      violations.add(java.time.Instant.now() + ": " + ready + " ready endpoints, " + min
          + " required");
    }
  }

  @Override
  public void close() {
    informer.close();
  }
}
