package dev.baton.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * What the benchmark sees through its own watches: each app's phase, each active Service's
 * selector (and when a watch saw it change), each pod's Ready condition (its timestamp, and when a
 * watch saw it), each app's Deployments. Handlers only record and wake the waiter; nothing here
 * polls the API server.
 */
final class Tracker implements AutoCloseable {

  static final String APP = "baton.dev/app";
  static final String HASH = "baton.dev/revision-hash";

  /** A pod's Ready transition: the condition's own time (1 s resolution) and when we saw it. */
  record PodReady(String uid, String app, String hash, Instant conditionTime, Instant observed) {}

  /** A switch of an app's active Service to another revision, as a watch delivered it. */
  record Switch(String hash, Instant observed) {}

  private final Map<String, String> phases = new ConcurrentHashMap<>();
  private final Map<String, Instant> firstStatus = new ConcurrentHashMap<>();
  private final Map<String, String> activeHash = new ConcurrentHashMap<>();
  private final Map<String, Switch> lastSwitch = new ConcurrentHashMap<>();
  private final Map<String, PodReady> readyPods = new ConcurrentHashMap<>();
  private final Map<String, Integer> deployments = new ConcurrentHashMap<>();
  private final Map<String, Instant> deploymentAvailable = new ConcurrentHashMap<>();
  private final Map<String, Instant> sliceReady = new ConcurrentHashMap<>();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final Object signal = new Object();

  Tracker(KubernetesClient client) {
    informers.add(client.genericKubernetesResources("baton.dev/v1alpha1", "BatonApp")
        .inAnyNamespace().withLabel(Bench.BENCH_LABEL).inform(handler(this::onApp)));
    informers.add(client.services().inAnyNamespace().withLabel(APP).inform(handler(this::onService)));
    informers.add(client.pods().inAnyNamespace().withLabel(APP).inform(handler(this::onPod)));
    // The EndpointSlice controller's slices of the preview Services (it copies their role label).
    informers.add(client.discovery().v1().endpointSlices().inAnyNamespace()
        .withLabel("baton.dev/role", "preview").inform(handler(this::onSlice)));
    informers.add(client.apps().deployments().inAnyNamespace().withLabel(APP)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Deployment d) {
            countDeployments(d, 1);
            onDeployment(d);
          }

          @Override
          public void onUpdate(Deployment o, Deployment d) {
            onDeployment(d);
          }

          @Override
          public void onDelete(Deployment d, boolean unknown) {
            countDeployments(d, -1);
          }
        }));
  }

  /** A handler that passes every added or updated object to {@code onChange}. */
  static <T> ResourceEventHandler<T> handler(java.util.function.Consumer<T> onChange) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        onChange.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T obj) {
        onChange.accept(obj);
      }

      @Override
      public void onDelete(T obj, boolean unknown) {}
    };
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private void wake() {
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  private void onApp(GenericKubernetesResource app) {
    Object status = app.getAdditionalProperties().get("status");
    if (status instanceof Map<?, ?> s && s.get("phase") instanceof String phase) {
      String k = key(app.getMetadata().getNamespace(), app.getMetadata().getName());
      firstStatus.putIfAbsent(k, Instant.now());
      // Healthy counts only once Baton has seen the current spec.
      Object observed = s.get("observedGeneration");
      boolean current = observed instanceof Number n
          && n.longValue() == app.getMetadata().getGeneration();
      phases.put(k, current ? phase : "Stale" + phase);
      wake();
    }
  }

  private void onService(Service svc) {
    String app = svc.getMetadata().getLabels().get(APP);
    // The active Service is named after the app; the preview one is <app>-preview.
    if (app == null || !app.equals(svc.getMetadata().getName()) || svc.getSpec().getSelector() == null) {
      return;
    }
    Instant now = Instant.now();
    String k = key(svc.getMetadata().getNamespace(), app);
    String hash = svc.getSpec().getSelector().get(HASH);
    String before = hash == null ? null : activeHash.put(k, hash);
    if (before != null && !before.equals(hash)) {
      lastSwitch.put(k, new Switch(hash, now));
    }
    wake();
  }

  private void onPod(Pod pod) {
    String uid = pod.getMetadata().getUid();
    if (readyPods.containsKey(uid) || pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return;
    }
    Instant now = Instant.now();
    for (PodCondition c : pod.getStatus().getConditions()) {
      if ("Ready".equals(c.getType()) && "True".equals(c.getStatus()) && c.getLastTransitionTime() != null) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        readyPods.put(uid, new PodReady(uid, key(pod.getMetadata().getNamespace(), labels.get(APP)),
            labels.get(HASH), Instant.parse(c.getLastTransitionTime()), now));
        wake();
      }
    }
  }

  /** When a watch first saw each pod (by uid) listed as a ready endpoint of a preview Service. */
  private void onSlice(io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice slice) {
    if (slice.getEndpoints() == null) {
      return;
    }
    Instant now = Instant.now();
    slice.getEndpoints().stream()
        .filter(e -> e.getTargetRef() != null && e.getTargetRef().getUid() != null
            && e.getConditions() != null && Boolean.TRUE.equals(e.getConditions().getReady()))
        .forEach(e -> sliceReady.putIfAbsent(e.getTargetRef().getUid(), now));
  }

  /** When a watch first saw the pod listed ready behind its app's preview Service. */
  Optional<Instant> sliceReady(String podUid) {
    return Optional.ofNullable(sliceReady.get(podUid));
  }

  /** When a watch first saw the Deployment's status report every desired pod available. */
  private void onDeployment(Deployment d) {
    Integer want = d.getSpec().getReplicas();
    Integer available = d.getStatus() == null ? null : d.getStatus().getAvailableReplicas();
    if (want != null && want > 0 && available != null && available >= want) {
      deploymentAvailable.putIfAbsent(key(d.getMetadata().getNamespace(), d.getMetadata().getName()), Instant.now());
    }
  }

  /** Baton names a version's Deployment {@code <app>-<hash>}. */
  Optional<Instant> deploymentAvailable(String app, String hash) {
    return Optional.ofNullable(deploymentAvailable.get(app + "-" + hash));
  }

  private void countDeployments(Deployment d, int delta) {
    deployments.merge(key(d.getMetadata().getNamespace(), d.getMetadata().getLabels().get(APP)), delta,
        Integer::sum);
    wake();
  }

  /** Waits, woken by the watches, until the condition holds; false when the time is up. */
  boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (signal) {
      while (!condition.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        // Also re-checks once a second, for conditions that depend on the clock only.
        signal.wait(Math.max(1, Math.min(1000, left / 1_000_000)));
      }
      return true;
    }
  }

  long countPhase(List<String> apps, String phase) {
    return apps.stream().filter(a -> phase.equals(phases.get(a))).count();
  }

  Optional<Instant> firstStatus(String app) {
    return Optional.ofNullable(firstStatus.get(app));
  }

  Optional<String> activeHash(String app) {
    return Optional.ofNullable(activeHash.get(app));
  }

  Optional<Switch> lastSwitch(String app) {
    return Optional.ofNullable(lastSwitch.get(app));
  }

  int deployments(String app) {
    return deployments.getOrDefault(app, 0);
  }

  /** The Ready transitions of an app's pods of one revision. */
  List<PodReady> readyPods(String app, String hash) {
    return readyPods.values().stream().filter(p -> app.equals(p.app()) && hash.equals(p.hash())).toList();
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
