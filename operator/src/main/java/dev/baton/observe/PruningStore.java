package dev.baton.observe;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer store that keeps a projection of each object: the fields Baton reads, not the whole
 * object. At 1,000 apps most of the operator's live heap was informer caches, and the largest part
 * of each cached object was {@code metadata.managedFields}, which Baton never reads (server-side
 * apply is computed by the API server, not from the cache).
 *
 * <p>Only what stays in the heap is smaller: the informer's event handlers still get the object of
 * the watch event (for Pods and EndpointSlices the stored object is a projected copy; for the rest,
 * the same object with its managedFields dropped).
 */
public final class PruningStore<T extends HasMetadata> implements ItemStore<T> {

  private final BasicItemStore<T> delegate = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
  private final UnaryOperator<T> prune;

  private PruningStore(UnaryOperator<T> prune) {
    this.prune = prune;
  }

  /** A store that keeps what {@code prune} makes of each object. */
  public static <T extends HasMetadata> PruningStore<T> of(UnaryOperator<T> prune) {
    return new PruningStore<>(prune);
  }

  /** Keeps the whole object except {@code metadata.managedFields}. */
  public static <T extends HasMetadata> PruningStore<T> withoutManagedFields() {
    return new PruningStore<>(o -> {
      if (o.getMetadata() != null && o.getMetadata().getManagedFields() != null
          && !o.getMetadata().getManagedFields().isEmpty()) {
        o.getMetadata().setManagedFields(null);
      }
      return o;
    });
  }

  /**
   * Pods: metadata without managedFields, no spec, and of the status only the phase, the
   * conditions and each container's name, restart count and waiting reason (what
   * {@link PodProblems}, the promotion gate and the promotion metric read).
   */
  public static PruningStore<Pod> forPods() {
    return new PruningStore<>(p -> {
      Pod pruned = new Pod();
      pruned.setMetadata(meta(p.getMetadata()));
      PodStatus st = p.getStatus();
      if (st != null) {
        PodStatus s = new PodStatus();
        s.setPhase(st.getPhase());
        if (st.getConditions() != null) {
          s.setConditions(st.getConditions().stream().map(c -> {
            PodCondition k = new PodCondition();
            k.setType(c.getType());
            k.setStatus(c.getStatus());
            k.setReason(c.getReason());
            k.setLastTransitionTime(c.getLastTransitionTime());
            return k;
          }).toList());
        }
        if (st.getContainerStatuses() != null) {
          s.setContainerStatuses(st.getContainerStatuses().stream().map(c -> {
            ContainerStatus k = new ContainerStatus();
            k.setName(c.getName());
            k.setRestartCount(c.getRestartCount());
            ContainerStateWaiting waiting = c.getState() == null ? null
                : c.getState().getWaiting();
            if (waiting != null) {
              ContainerStateWaiting w = new ContainerStateWaiting();
              w.setReason(waiting.getReason());
              ContainerState state = new ContainerState();
              state.setWaiting(w);
              k.setState(state);
            }
            return k;
          }).toList());
        }
        pruned.setStatus(s);
      }
      return pruned;
    });
  }

  /**
   * EndpointSlices of the EndpointSlice controller: labels and, per endpoint, only the pod it
   * points at and whether it is ready.
   */
  public static PruningStore<EndpointSlice> forControllerSlices() {
    return new PruningStore<>(es -> {
      EndpointSlice pruned = new EndpointSlice();
      pruned.setMetadata(meta(es.getMetadata()));
      pruned.setAddressType(es.getAddressType());
      List<Endpoint> endpoints = es.getEndpoints() == null ? List.of()
          : es.getEndpoints().stream().filter(e -> e.getTargetRef() != null).map(e -> {
            Endpoint k = new Endpoint();
            ObjectReference ref = new ObjectReference();
            ref.setKind(e.getTargetRef().getKind());
            ref.setName(e.getTargetRef().getName());
            k.setTargetRef(ref);
            EndpointConditions c = new EndpointConditions();
            c.setReady(e.getConditions() == null ? null : e.getConditions().getReady());
            k.setConditions(c);
            return k;
          }).toList();
      pruned.setEndpoints(endpoints);
      return pruned;
    });
  }

  private static ObjectMeta meta(ObjectMeta m) {
    ObjectMeta k = new ObjectMeta();
    k.setName(m.getName());
    k.setNamespace(m.getNamespace());
    k.setUid(m.getUid());
    k.setResourceVersion(m.getResourceVersion());
    k.setGeneration(m.getGeneration());
    k.setLabels(m.getLabels());
    k.setAnnotations(m.getAnnotations());
    k.setOwnerReferences(m.getOwnerReferences());
    k.setDeletionTimestamp(m.getDeletionTimestamp());
    k.setCreationTimestamp(m.getCreationTimestamp());
    return k;
  }

  @Override
  public String getKey(T object) {
    return delegate.getKey(object);
  }

  @Override
  public T put(String key, T object) {
    return delegate.put(key, Objects.requireNonNull(prune.apply(object)));
  }

  @Override
  public T remove(String key) {
    return delegate.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return delegate.keySet();
  }

  @Override
  public Stream<T> values() {
    return delegate.values();
  }

  @Override
  public int size() {
    return delegate.size();
  }

  @Override
  public T get(String key) {
    return delegate.get(key);
  }
}
