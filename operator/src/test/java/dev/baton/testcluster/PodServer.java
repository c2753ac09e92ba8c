package dev.baton.testcluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the containers of the test cluster's KWOK pods: for every Running pod whose containers
 * run, it listens on {@code podIP:containerPort} for each declared TCP port, as the container
 * would. Every path answers the pod's name and revision ({@code baton.dev/revision-hash}); the
 * readiness probe's path answers 200 while the pod is Ready, 503 otherwise. A crash-looping pod
 * (no running container) has no listener, so connections to it are refused.
 *
 * <p>Versions that are Ready but bad, for analysis and for the ledger's own test, come from pod
 * annotations (see {@code hack/kwok/README.md}): {@value #ERROR_RATE} answers that share of
 * requests with 500, {@value #LATENCY} adds a delay to every answer.
 *
 * <p>A deleted pod (KWOK removes it at once) keeps serving through its termination grace period,
 * then closes, so what the tests see is how the proxy reacts to endpoint changes. KWOK reuses
 * addresses: a new pod on a lingering pod's address takes the listener over.
 *
 * <p>Pod addresses must be local: hack/test.sh runs the tests in a network namespace where the
 * pod range is routed to loopback. Nothing here connects anywhere; it only accepts.
 */
public final class PodServer implements AutoCloseable {

  /** Pod annotation: the share of requests (0..1) answered 500. */
  public static final String ERROR_RATE = "test.baton.dev/error-rate";
  /** Pod annotation: a delay added to every answer (a Go-style duration: 150ms, 1s). */
  public static final String LATENCY = "test.baton.dev/latency";
  /** Response header: the pod that answered. */
  public static final String POD_HEADER = "X-Pod-Name";
  /** Response header: the answering pod's {@code baton.dev/revision-hash}. */
  public static final String REVISION_HEADER = "X-Revision-Hash";
  /** Response header: the answering pod's {@code pod-template-hash} (its ReplicaSet). */
  public static final String TEMPLATE_HEADER = "X-Pod-Template-Hash";
  /** Response header: the image of the answering pod's first container. */
  public static final String IMAGE_HEADER = "X-Image";

  private static final Logger LOG = LoggerFactory.getLogger(PodServer.class);
  private static final String REVISION_LABEL = "baton.dev/revision-hash";

  private final SharedIndexInformer<Pod> informer;
  /** One listener per address and port, whoever owns it now. */
  private final Map<String, Listener> listeners = new ConcurrentHashMap<>();
  private final ExecutorService handlers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "pod-server");
    t.setDaemon(true);
    return t;
  });
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "pod-server-grace");
    t.setDaemon(true);
    return t;
  });

  private PodServer(KubernetesClient client) {
    this.informer = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        update(pod);
      }

      @Override
      public void onUpdate(Pod before, Pod after) {
        update(after);
      }

      @Override
      public void onDelete(Pod pod, boolean unknownFinalState) {
        terminate(pod);
      }
    });
  }

  /** Starts serving every pod of the cluster the client talks to. */
  public static PodServer start(KubernetesClient client) {
    return new PodServer(client);
  }

  /** The addresses and ports listened on now, as {@code ip:port}. */
  public Set<String> listening() {
    return Set.copyOf(listeners.keySet());
  }

  private synchronized void update(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      terminate(pod);
      return;
    }
    PodState state = PodState.of(pod);
    Set<String> wanted = state == null ? Set.of() : state.addresses();
    // KWOK gives a deleted pod's address to a new pod as soon as the old one is gone from the API,
    // while its listener may still serve out the grace period (or its deletion not be seen yet).
    // Two pods never share an address in a real cluster (a kubelet tears the sandbox down before
    // the address is reused), so the new pod takes the address even when none of its containers
    // runs: a crash-looping pod must refuse connections. A running one takes the listener over
    // as it is, still bound: closing it and binding again left a moment in which the proxy, still
    // routing to the old pod's endpoint, had its connections refused (a 502 in RollingIT).
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    if (ip != null) {
      listeners.forEach((address, listener) -> {
        if (address.startsWith(ip + ":") && !listener.ownedBy(pod.getMetadata().getUid())
            && !wanted.contains(address)) {
          close(address, listener);
        }
      });
    }
    // Listeners this pod owns but should not have any more (no running container, new address).
    listeners.forEach((address, listener) -> {
      if (listener.ownedBy(pod.getMetadata().getUid()) && !wanted.contains(address)) {
        close(address, listener);
      }
    });
    if (state == null) {
      return;
    }
    for (String address : wanted) {
      Listener listener = listeners.get(address);
      if (listener == null) {
        listener = Listener.open(address, handlers);
        if (listener == null) {
          LOG.warn("cannot listen on {} for pod {} yet: trying again", address,
              pod.getMetadata().getName());
          retryLater(pod, address, 1);
          continue;
        }
        listeners.put(address, listener);
      }
      listener.owner = state;
    }
  }

  /**
   * A listener just stopped on the address gives its socket up only once its selector has let go
   * of it, so a new pod's bind can fail for a moment. A kubelet's container would bind once its
   * sandbox is up; here the bind is tried again, every 100 ms for up to 10 s, while the pod (the
   * same one, not deleted, still running) still wants the address.
   */
  private void retryLater(Pod pod, String address, int attempt) {
    if (attempt > 100) {
      LOG.warn("gave up listening on {} for pod {}", address, pod.getMetadata().getName());
      return;
    }
    timers.schedule(() -> retry(pod, address, attempt), 100, TimeUnit.MILLISECONDS);
  }

  private synchronized void retry(Pod seen, String address, int attempt) {
    Pod pod = informer.getStore().get(seen);
    if (pod == null || pod.getMetadata().getDeletionTimestamp() != null
        || !pod.getMetadata().getUid().equals(seen.getMetadata().getUid())
        || listeners.containsKey(address)) {
      return;
    }
    PodState state = PodState.of(pod);
    if (state == null || !state.addresses().contains(address)) {
      return;
    }
    Listener listener = Listener.open(address, handlers);
    if (listener == null) {
      retryLater(pod, address, attempt + 1);
      return;
    }
    LOG.info("listening on {} for pod {} after {} retries", address, pod.getMetadata().getName(),
        attempt);
    listener.owner = state;
    listeners.put(address, listener);
  }

  /** The pod keeps serving through its grace period, unless another pod takes its address. */
  private synchronized void terminate(Pod pod) {
    String uid = pod.getMetadata().getUid();
    long grace = pod.getMetadata().getDeletionGracePeriodSeconds() != null
        ? pod.getMetadata().getDeletionGracePeriodSeconds()
        : Objects.requireNonNullElse(pod.getSpec().getTerminationGracePeriodSeconds(), 30L);
    listeners.forEach((address, listener) -> {
      if (listener.ownedBy(uid) && !listener.owner.terminating) {
        listener.owner = listener.owner.asTerminating();
        timers.schedule(() -> closeIfStillOwned(address, uid), grace, TimeUnit.SECONDS);
      }
    });
  }

  private synchronized void closeIfStillOwned(String address, String uid) {
    Listener listener = listeners.get(address);
    if (listener != null && listener.ownedBy(uid)) {
      close(address, listener);
    }
  }

  private void close(String address, Listener listener) {
    listeners.remove(address, listener);
    listener.server.stop(0);
  }

  @Override
  public synchronized void close() {
    informer.close();
    listeners.forEach(this::close);
    timers.shutdownNow();
    handlers.shutdownNow();
  }

  /** What a pod's container answers with, taken from the pod as last seen. */
  record PodState(String namespace, String name, String uid, String revision, String template,
      String image, Set<String> addresses, Set<String> readinessPaths, boolean ready,
      double errorRate, Duration latency, boolean terminating) {

    /** The pod's state, or null when no container of it runs (pending, crash-looping, done). */
    static PodState of(Pod pod) {
      var status = pod.getStatus();
      if (status == null || !"Running".equals(status.getPhase()) || status.getPodIP() == null
          || status.getContainerStatuses() == null
          || status.getContainerStatuses().stream().noneMatch(c -> c.getState() != null
              && c.getState().getRunning() != null)) {
        return null;
      }
      Set<String> addresses = new java.util.HashSet<>();
      Set<String> readiness = new java.util.HashSet<>();
      for (Container c : pod.getSpec().getContainers()) {
        Map<String, Integer> named = new HashMap<>();
        for (ContainerPort p : Objects.requireNonNullElse(c.getPorts(), List.<ContainerPort>of())) {
          if (p.getProtocol() == null || "TCP".equals(p.getProtocol())) {
            addresses.add(status.getPodIP() + ":" + p.getContainerPort());
            if (p.getName() != null) {
              named.put(p.getName(), p.getContainerPort());
            }
          }
        }
        if (c.getReadinessProbe() != null && c.getReadinessProbe().getHttpGet() != null) {
          readiness.add(c.getReadinessProbe().getHttpGet().getPath());
        }
      }
      if (addresses.isEmpty()) {
        return null;
      }
      boolean ready = status.getConditions() != null && status.getConditions().stream()
          .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      Map<String, String> labels = Objects.requireNonNullElse(pod.getMetadata().getLabels(),
          Map.of());
      Map<String, String> annotations = Objects.requireNonNullElse(
          pod.getMetadata().getAnnotations(), Map.of());
      return new PodState(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
          pod.getMetadata().getUid(), labels.getOrDefault(REVISION_LABEL, ""),
          labels.getOrDefault("pod-template-hash", ""),
          pod.getSpec().getContainers().get(0).getImage(), Set.copyOf(addresses),
          Set.copyOf(readiness), ready, errorRate(annotations.get(ERROR_RATE)),
          GoDuration.parse(annotations.get(LATENCY)), false);
    }

    PodState asTerminating() {
      return new PodState(namespace, name, uid, revision, template, image, addresses,
          readinessPaths, false, errorRate, latency, true);
    }

    private static double errorRate(String value) {
      if (value == null) {
        return 0;
      }
      try {
        return Math.max(0, Math.min(1, Double.parseDouble(value.trim())));
      } catch (NumberFormatException e) {
        return 0;
      }
    }
  }

  /** One bound address: the HTTP server and the pod it answers for now. */
  private static final class Listener {
    final HttpServer server;
    volatile PodState owner;

    private Listener(HttpServer server) {
      this.server = server;
    }

    boolean ownedBy(String uid) {
      PodState o = owner;
      return o != null && o.uid().equals(uid);
    }

    static Listener open(String address, ExecutorService handlers) {
      int colon = address.lastIndexOf(':');
      try {
        HttpServer server = HttpServer.create(new InetSocketAddress(
            InetAddress.getByName(address.substring(0, colon)),
            Integer.parseInt(address.substring(colon + 1))), 128);
        Listener listener = new Listener(server);
        server.setExecutor(handlers);
        server.createContext("/", listener::handle);
        server.start();
        return listener;
      } catch (IOException e) {
        LOG.debug("cannot listen on {} for a pod: {}", address, e.toString());
        return null;
      }
    }

    private void handle(HttpExchange exchange) throws IOException {
      PodState pod = owner;
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        if (!pod.latency().isZero()) {
          try {
            Thread.sleep(pod.latency().toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        var headers = exchange.getResponseHeaders();
        headers.set(POD_HEADER, pod.name());
        headers.set(REVISION_HEADER, pod.revision());
        headers.set(TEMPLATE_HEADER, pod.template());
        headers.set(IMAGE_HEADER, pod.image());
        headers.set("Content-Type", "text/plain; charset=utf-8");
        int status;
        String body;
        String path = exchange.getRequestURI().getPath();
        if (pod.readinessPaths().contains(path)) {
          status = pod.ready() ? 200 : 503;
          body = pod.ready() ? "ready" : "not ready";
        } else if (pod.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < pod.errorRate()) {
          status = 500;
          body = "injected failure";
        } else {
          status = 200;
          body = pod.name() + " " + pod.revision();
        }
        byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  /** Go-style durations as KWOK's annotations use them: 150ms, 2s, 1m, 1.5s. */
  static final class GoDuration {
    private GoDuration() {}

    static Duration parse(String value) {
      if (value == null || value.isBlank()) {
        return Duration.ZERO;
      }
      var m = java.util.regex.Pattern.compile("([0-9.]+)(ms|s|m)").matcher(value.trim());
      if (!m.matches()) {
        return Duration.ZERO;
      }
      double n = Double.parseDouble(m.group(1));
      return Duration.ofMillis(Math.round(switch (m.group(2)) {
        case "ms" -> n;
        case "s" -> n * 1000;
        default -> n * 60_000;
      }));
    }
  }
}
