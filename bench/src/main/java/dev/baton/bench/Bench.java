package dev.baton.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The benchmark: starts the operator, creates N BatonApps, rolls every one of them out at once and
 * reports start-up, cold convergence, promotion latency, API requests and the operator's memory
 * and CPU time. Run by bench/run.sh, which prepares the cluster; see the README's Performance
 * section for what each figure means.
 */
public final class Bench {

  /** Every object the benchmark creates carries this label; a rerun deletes what a previous run left. */
  static final String BENCH_LABEL = "bench.baton.dev/run";
  /** On the floor phase's objects (and pods): the control plane's work without Baton. */
  static final String FLOOR_LABEL = "bench.baton.dev/floor";
  static final String USER_AGENT = "baton-bench/0.1.0";
  /** The operator's client does not set its own user agent: Fabric8's default names it. */
  static final String OPERATOR_USER_AGENT = "fabric8-kubernetes-client/";

  private static final ResourceDefinitionContext BATON_APP = new ResourceDefinitionContext.Builder()
      .withGroup("baton.dev").withVersion("v1alpha1").withKind("BatonApp").withPlural("batonapps")
      .withNamespaced(true).build();

  private final Map<String, String> opts;
  private final KubernetesClient client;
  private final Map<String, Object> result = new LinkedHashMap<>();
  private final List<AuditLog.Window> windows = new ArrayList<>();
  private final Map<String, Object> usage = new LinkedHashMap<>();
  /** Each replica's RSS at the end of each phase (one replica unless --shards). */
  private final Map<String, Object> replicaRss = new LinkedHashMap<>();

  private Bench(Map<String, String> opts) {
    this.opts = opts;
    Config config = new ConfigBuilder(Config.autoConfigure(null)).withUserAgent(USER_AGENT).build();
    this.client = new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * The chart's JVM flags (helm/baton/values.yaml jvmOptions), with the heap bounds given
   * directly: outside a container, MaxRAMPercentage would be a share of the whole machine, and the
   * default initial heap (1/64 of the machine's memory, more than 256 MiB here) would commit the
   * whole heap from the start, where the chart's container starts at 8 MiB.
   */
  static final String DEFAULT_JAVA_OPTIONS =
      "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms16m -Xmx256m -XX:MinHeapFreeRatio=10"
          + " -XX:MaxHeapFreeRatio=30 -XX:+ExitOnOutOfMemoryError";

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>(Map.of(
        "apps", "100", "replicas", "2", "idle-seconds", "60", "scale-down-delay", "5",
        "port", "18080", "timeout-seconds", "900", "operator-java-options", DEFAULT_JAVA_OPTIONS,
        "out", "", "work-dir", "bench/target", "floor", "true"));
    opts.put("rollout", "true");
    opts.put("shards", "1");
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      opts.put(args[i].substring(2), args[++i]);
    }
    opts.putIfAbsent("namespaces", Integer.toString(Math.max(1, Integer.parseInt(opts.get("apps")) / 100)));
    Bench bench = new Bench(opts);
    try {
      bench.run();
    } finally {
      bench.client.close();
    }
  }

  private int intOpt(String name) {
    return Integer.parseInt(opts.get(name));
  }

  private void run() throws Exception {
    int n = intOpt("apps");
    int namespaces = intOpt("namespaces");
    Duration timeout = Duration.ofSeconds(intOpt("timeout-seconds"));
    Path workDir = Path.of(opts.get("work-dir"));
    Files.createDirectories(workDir);

    result.put("machine", machine());
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("apps", n);
    settings.put("namespaces", namespaces);
    settings.put("replicas", intOpt("replicas"));
    settings.put("scaleDownDelaySeconds", intOpt("scale-down-delay"));
    settings.put("idleSeconds", intOpt("idle-seconds"));
    settings.put("progressDeadlineSeconds", intOpt("timeout-seconds"));
    settings.put("nodes", opts.getOrDefault("nodes", "?"));
    settings.put("controllerManagerQps", opts.getOrDefault("cm-qps", "?"));
    settings.put("controllerManagerBurst", opts.getOrDefault("cm-burst", "?"));
    settings.put("operatorJavaOptions", opts.get("operator-java-options"));
    settings.put("shards", intOpt("shards"));
    settings.put("operatorJava", System.getProperty("java.version"));
    settings.put("reconcileThreads", System.getenv().getOrDefault("BATON_RECONCILE_THREADS", "20 (default)"));
    result.put("settings", settings);

    deleteLeftovers();
    List<String> names = new ArrayList<>();
    List<String> apps = new ArrayList<>();
    for (int i = 0; i < namespaces; i++) {
      createNamespace(String.format("bench-%02d", i));
    }
    for (int i = 0; i < n; i++) {
      names.add(String.format("bench-%02d/app-%05d", i % namespaces, i));
      apps.add(names.get(i));
    }
    if (Boolean.parseBoolean(opts.get("floor"))) {
      result.put("floor", floor(apps, timeout));
    }
    createNamespace("bench-probe");
    // The probe app exists before the operator starts: its first status write is "first reconcile".
    create("bench-probe/probe");

    try (Tracker tracker = new Tracker(client)) {
      // ---- start-up ----
      List<String> javaOptions = opts.get("operator-java-options").isBlank() ? List.of()
          : Arrays.asList(opts.get("operator-java-options").trim().split("\\s+"));
      Instant started = Instant.now();
      try (Operators op = Operators.start(intOpt("shards"), Path.of(opts.get("jar")),
          opts.get("kubeconfig"), intOpt("port"), javaOptions, workDir, "bench-probe")) {
        Instant firstReconcile = null;
        while (firstReconcile == null) {
          try {
            if (op.sum("operator_sdk_reconciliations_started_total") > 0) {
              firstReconcile = Instant.now();
            }
          } catch (java.io.IOException notUpYet) {
            // the endpoint starts first thing in main; until then there is nothing to read
          }
          if (!op.alive() || Duration.between(started, Instant.now()).toSeconds() > 120) {
            throw new IllegalStateException("the operator did not reconcile within 120 s; see "
                + workDir.resolve("operator.log"));
          }
          Thread.sleep(20);
        }
        require(tracker.await(() -> tracker.firstStatus("bench-probe/probe").isPresent(), Duration.ofSeconds(60)),
            "the probe app got no status");
        Instant firstStatus = tracker.firstStatus("bench-probe/probe").orElseThrow();
        Map<String, Object> startup = new LinkedHashMap<>();
        startup.put("toFirstReconcileSeconds", seconds(started, firstReconcile));
        startup.put("toFirstStatusWriteSeconds", seconds(started, firstStatus));
        result.put("startup", startup);
        windows.add(new AuditLog.Window("startup", started, firstStatus));
        usage.put("startup", op.usage());
        replicaRss.put("startup", op.replicaRss());
        log("start-up: first reconcile after %.2f s, first status seen after %.2f s",
            seconds(started, firstReconcile), seconds(started, firstStatus));

        // ---- cold convergence ----
        Instant createFrom = Instant.now();
        parallel(apps, this::create);
        Instant created = Instant.now();
        log("created %d apps in %.1f s; waiting for all Healthy", n, seconds(createFrom, created));
        boolean converged = tracker.await(() -> tracker.countPhase(apps, "Healthy") == n, timeout);
        Instant healthy = Instant.now();
        require(converged, "only " + tracker.countPhase(apps, "Healthy") + " of " + n + " apps Healthy");
        Map<String, Object> cold = new LinkedHashMap<>();
        cold.put("createSeconds", seconds(createFrom, created));
        cold.put("allHealthySeconds", seconds(createFrom, healthy));
        result.put("coldConvergence", cold);
        windows.add(new AuditLog.Window("cold", createFrom, healthy));
        usage.put("cold", op.usage());
        replicaRss.put("cold", op.replicaRss());
        log("cold convergence: %.1f s", seconds(createFrom, healthy));

        // ---- idle ----
        Thread.sleep(5_000); // let the last watch events of the cold phase drain
        Instant idleFrom = Instant.now();
        Thread.sleep(intOpt("idle-seconds") * 1000L);
        Instant idleTo = Instant.now();
        windows.add(new AuditLog.Window("idle", idleFrom, idleTo));
        usage.put("idle", op.usage());
        replicaRss.put("idle", op.replicaRss());

        // ---- rollout of every app at once (--rollout false: stop after idle, e.g. to read
        // the memory of 10,000 apps without 40,000 pods at once) ----
        if (Boolean.parseBoolean(opts.get("rollout"))) {
          // ---- rollout of every app at once ----
          Map<String, String> before = new HashMap<>();
          apps.forEach(a -> before.put(a, tracker.activeHash(a).orElse("")));
          Instant patchFrom = Instant.now();
          parallel(apps, this::changeImage);
          Instant patched = Instant.now();
          log("changed the image of %d apps in %.1f s; waiting for every switch", n, seconds(patchFrom, patched));
          boolean switched = tracker.await(() -> apps.stream().allMatch(a -> tracker.lastSwitch(a)
              .filter(s -> !s.hash().equals(before.get(a))).isPresent()) && tracker.countPhase(apps, "Healthy") == n,
              timeout);
          Instant allSwitched = Instant.now();
          require(switched, "not every app switched and became Healthy");
          // The old versions are scaled down and removed after scaleDownDelaySeconds.
          boolean cleaned = tracker.await(() -> apps.stream().allMatch(a -> tracker.deployments(a) == 1),
              Duration.ofSeconds(intOpt("scale-down-delay") + 300L));
          Instant rolloutTo = Instant.now();
          windows.add(new AuditLog.Window("rollout", patchFrom, rolloutTo));
          usage.put("rollout", op.usage());
        replicaRss.put("rollout", op.replicaRss());
          Map<String, Object> rollout = new LinkedHashMap<>();
          rollout.put("patchSeconds", seconds(patchFrom, patched));
          rollout.put("allSwitchedAndHealthySeconds", seconds(patchFrom, allSwitched));
          rollout.put("oldVersionsRemovedSeconds", seconds(patchFrom, rolloutTo));
          rollout.put("oldVersionsRemoved", cleaned);
          result.put("rollout", rollout);
          log("rollout: all switched after %.1f s, old versions gone after %.1f s", seconds(patchFrom, allSwitched),
              seconds(patchFrom, rolloutTo));

          result.put("promotionLatency", promotionLatency(tracker, apps,
              String.join("\n", op.scrapes())));
        }
        result.put("operatorUsage", usage);
        result.put("replicaRssMiB", replicaRss);
        result.put("reconciles", reconciles(n));
      }
    }
    Map<String, Object> api = new LinkedHashMap<>();
    if (opts.containsKey("audit-log")) {
      var counts = AuditLog.count(Path.of(opts.get("audit-log")), OPERATOR_USER_AGENT, windows);
      for (AuditLog.Window w : windows) {
        AuditLog.Counts c = counts.get(w.name());
        Map<String, Object> phase = new LinkedHashMap<>();
        phase.put("minutes", round(w.minutes()));
        phase.put("writesPerMinute", round(c.writes() / w.minutes()));
        phase.put("readsPerMinute", round(c.reads() / w.minutes()));
        phase.put("requestsByVerb", c.byVerb());
        phase.put("writesByResource", c.writesByResource());
        api.put(w.name(), phase);
      }
    }
    result.put("apiRequests", api);

    if (!"true".equals(opts.get("keep"))) {
      deleteLeftovers();
    }
    ResultTable.print(result, usage);
    if (!opts.get("out").isBlank()) {
      Path out = Path.of(opts.get("out"));
      if (out.getParent() != null) {
        Files.createDirectories(out.getParent());
      }
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
      log("wrote %s", out);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Reconciles per app in the cold and rollout phases (from the operator's counters at each phase's
   * end), and the informer update events that reconciled or were skipped by Baton's filters.
   */
  private Map<String, Object> reconciles(int n) {
    Map<String, Object> out = new LinkedHashMap<>();
    String previous = "startup";
    for (String phase : List.of("cold", "idle", "rollout")) {
      if (!usage.containsKey(phase)) {
        continue;
      }
      OperatorProcess.Usage from = (OperatorProcess.Usage) usage.get(previous);
      OperatorProcess.Usage to = (OperatorProcess.Usage) usage.get(phase);
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("reconcilesPerApp", round((to.reconciles() - from.reconciles()) / n));
      p.put("updatesReconciledPerApp", round((to.updatesReconciled() - from.updatesReconciled()) / n));
      p.put("updatesSkippedPerApp", round((to.updatesSkipped() - from.updatesSkipped()) / n));
      Map<String, Object> byKind = new TreeMap<>();
      to.updatesByKind().forEach((k, v) -> byKind.put(k,
          round((v - from.updatesByKind().getOrDefault(k, 0.0)) / n)));
      p.put("updatesPerAppByKind", byKind);
      out.put(phase, p);
      previous = phase;
    }
    return out;
  }

  /**
   * Per app, from the switch of its active Service (seen by our watch) back to the last new pod's
   * Ready: by the condition's timestamp (the definition; whole seconds) and by when our
   * watch saw that pod Ready (milliseconds). Plus Baton's own histogram.
   */
  private Map<String, Object> promotionLatency(Tracker tracker, List<String> apps, String scrape) {
    List<Double> byCondition = new ArrayList<>();
    List<Double> byWatch = new ArrayList<>();
    List<Double> podToDeployment = new ArrayList<>();
    List<Double> deploymentToSwitch = new ArrayList<>();
    List<Double> podToSlice = new ArrayList<>();
    List<Double> sliceToSwitch = new ArrayList<>();
    // Baton's slowest promotions, with their timeline, so that an outlier can be looked up in the
    // operator's log (bench/target/operator.log) by app and time.
    List<Map<String, Object>> slowest = new ArrayList<>();
    for (String app : apps) {
      Tracker.Switch sw = tracker.lastSwitch(app).orElseThrow();
      List<Tracker.PodReady> pods = tracker.readyPods(app, sw.hash());
      pods.stream().map(Tracker.PodReady::conditionTime).max(Instant::compareTo)
          .ifPresent(t -> byCondition.add(seconds(t, sw.observed())));
      pods.stream().map(Tracker.PodReady::observed).max(Instant::compareTo)
          .ifPresent(t -> byWatch.add(seconds(t, sw.observed())));
      // Where the time goes: the controller-manager's Deployment status, then Baton.
      var available = tracker.deploymentAvailable(app, sw.hash());
      available.ifPresent(a -> deploymentToSwitch.add(seconds(a, sw.observed())));
      pods.stream().map(Tracker.PodReady::observed).max(Instant::compareTo)
          .ifPresent(t -> available.ifPresent(a -> podToDeployment.add(seconds(t, a))));
      // The other split: the EndpointSlice controller listing every new pod ready behind the
      // preview Service (what Baton's promotion gate reads), then Baton.
      List<Optional<Instant>> inSlice = pods.stream().map(pr -> tracker.sliceReady(pr.uid())).toList();
      if (!pods.isEmpty() && inSlice.stream().allMatch(Optional::isPresent)) {
        Instant lastInSlice = inSlice.stream().map(Optional::get).max(Instant::compareTo).get();
        Instant lastReady = pods.stream().map(Tracker.PodReady::observed).max(Instant::compareTo).get();
        podToSlice.add(seconds(lastReady, lastInSlice));
        sliceToSwitch.add(seconds(lastInSlice, sw.observed()));
        Map<String, Object> timeline = new LinkedHashMap<>();
        timeline.put("app", app);
        timeline.put("lastPodReadySeen", lastReady.toString());
        timeline.put("previewEndpointsReadySeen", lastInSlice.toString());
        timeline.put("deploymentAvailableSeen", available.map(Instant::toString).orElse(null));
        timeline.put("switchSeen", sw.observed().toString());
        timeline.put("batonSeconds", seconds(lastInSlice, sw.observed()));
        slowest.add(timeline);
      }
    }
    slowest.sort(Comparator.comparing((Map<String, Object> t) -> (Double) t.get("batonSeconds"))
        .reversed());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("podConditionToSwitchSeconds", percentiles(byCondition));
    out.put("podReadySeenToSwitchSeenSeconds", percentiles(byWatch));
    out.put("podReadySeenToDeploymentAvailableSeenSeconds", percentiles(podToDeployment));
    out.put("deploymentAvailableSeenToSwitchSeenSeconds", percentiles(deploymentToSwitch));
    out.put("podReadySeenToPreviewEndpointsReadySeenSeconds", percentiles(podToSlice));
    out.put("previewEndpointsReadySeenToSwitchSeenSeconds", percentiles(sliceToSwitch));
    OperatorProcess.Histogram h = OperatorProcess.histogram(scrape, "baton_promotion_duration_seconds");
    Map<String, Object> own = new LinkedHashMap<>();
    own.put("count", h.count());
    own.put("p50", round(Math.min(h.quantile(0.50), h.max())));
    own.put("p95", round(Math.min(h.quantile(0.95), h.max())));
    own.put("p99", round(Math.min(h.quantile(0.99), h.max())));
    own.put("max", round(h.max()));
    out.put("batonHistogramSeconds", own);
    out.put("slowestBatonShares", slowest.subList(0, Math.min(10, slowest.size())));
    return out;
  }

  private static Map<String, Object> percentiles(List<Double> values) {
    List<Double> v = new ArrayList<>(values);
    Collections.sort(v);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("count", v.size());
    for (double q : new double[] {0.50, 0.95, 0.99}) {
      out.put("p" + Math.round(q * 100), v.isEmpty() ? null
          : round(v.get(Math.max(0, (int) Math.ceil(q * v.size()) - 1))));
    }
    out.put("max", v.isEmpty() ? null : round(v.get(v.size() - 1)));
    return out;
  }

  private void create(String app) {
    String[] nn = app.split("/");
    GenericKubernetesResource r;
    try (InputStream in = Files.newInputStream(Path.of(opts.get("example")))) {
      r = client.getKubernetesSerialization().unmarshal(in, GenericKubernetesResource.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    r.getMetadata().setName(nn[1]);
    r.getMetadata().setNamespace(nn[0]);
    r.getMetadata().setLabels(Map.of(BENCH_LABEL, "true"));
    Map<String, Object> spec = map(r.getAdditionalProperties().get("spec"));
    spec.put("replicas", intOpt("replicas"));
    // The example's 120 s deadline aborts rollouts when the cluster itself is slow to start
    // thousands of pods (seen at 1,000 apps on 2 cores): the benchmark measures, it must not abort.
    spec.put("progressDeadlineSeconds", intOpt("timeout-seconds"));
    map(map(map(spec.get("template")).get("metadata")).get("labels")).put("app", nn[1]);
    map(map(spec.get("strategy")).get("blueGreen")).put("scaleDownDelaySeconds", intOpt("scale-down-delay"));
    client.genericKubernetesResources(BATON_APP).inNamespace(nn[0]).resource(r).create();
  }

  /**
   * The control plane's floor for cold convergence: for every app, the Deployment (the example's
   * pod template, the same replicas) and the two Services Baton would create, created directly
   * from 16 threads with no operator running, until every Deployment reports all its pods
   * available. Baton's cold convergence on the same cluster cannot be faster; the difference is
   * Baton's. The objects are deleted again, and their pods gone, before Baton starts.
   */
  private Map<String, Object> floor(List<String> apps, Duration timeout) throws Exception {
    int replicas = intOpt("replicas");
    java.util.Set<String> available = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Consumer<Deployment> check = d -> {
      Integer a = d.getStatus() == null ? null : d.getStatus().getAvailableReplicas();
      if (a != null && a >= replicas) {
        available.add(d.getMetadata().getNamespace() + "/" + d.getMetadata().getName());
      }
    };
    Map<String, Object> out = new LinkedHashMap<>();
    try (var informer = client.apps().deployments().inAnyNamespace().withLabel(FLOOR_LABEL, "true")
        .inform(Tracker.handler(check))) {
      Instant from = Instant.now();
      parallel(apps, this::createFloorApp);
      Instant created = Instant.now();
      log("floor: created the Deployments and Services of %d apps in %.1f s, without Baton",
          apps.size(), seconds(from, created));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (available.size() < apps.size() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      Instant to = Instant.now();
      require(available.size() == apps.size(), "floor: only " + available.size() + " of "
          + apps.size() + " Deployments available");
      out.put("createSeconds", seconds(from, created));
      out.put("allAvailableSeconds", seconds(from, to));
      log("floor: every Deployment available after %.1f s", seconds(from, to));
    }
    for (String ns : apps.stream().map(a -> a.split("/")[0]).distinct().toList()) {
      client.apps().deployments().inNamespace(ns).withLabel(FLOOR_LABEL, "true").delete();
      client.services().inNamespace(ns).withLabel(FLOOR_LABEL, "true").delete();
    }
    var anyPod = new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L)
        .withLabelSelector(FLOOR_LABEL + "=true").build();
    for (int i = 0; i < 600 && !client.pods().inAnyNamespace().list(anyPod).getItems().isEmpty(); i++) {
      Thread.sleep(500);
    }
    return out;
  }

  private void createFloorApp(String app) {
    String[] nn = app.split("/");
    String name = "floor-" + nn[1];
    GenericKubernetesResource r;
    try (InputStream in = Files.newInputStream(Path.of(opts.get("example")))) {
      r = client.getKubernetesSerialization().unmarshal(in, GenericKubernetesResource.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Map<String, Object> spec = map(r.getAdditionalProperties().get("spec"));
    var template = client.getKubernetesSerialization().convertValue(spec.get("template"),
        io.fabric8.kubernetes.api.model.PodTemplateSpec.class);
    Map<String, String> labels = Map.of("app", name, FLOOR_LABEL, "true");
    template.getMetadata().setLabels(labels);
    client.apps().deployments().inNamespace(nn[0]).resource(
        new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
            .withNewMetadata().withName(name).withLabels(labels).endMetadata()
            .withNewSpec().withReplicas(intOpt("replicas"))
            .withNewSelector().withMatchLabels(labels).endSelector()
            .withTemplate(template).endSpec().build()).create();
    for (String service : List.of(name, name + "-preview")) {
      client.services().inNamespace(nn[0]).resource(
          new io.fabric8.kubernetes.api.model.ServiceBuilder()
              .withNewMetadata().withName(service).withLabels(labels).endMetadata()
              .withNewSpec().withSelector(labels).addNewPort().withPort(80)
              .withNewTargetPort("http").endPort().endSpec().build()).create();
    }
  }

  private void changeImage(String app) {
    String[] nn = app.split("/");
    client.genericKubernetesResources(BATON_APP).inNamespace(nn[0]).withName(nn[1])
        .patch(PatchContext.of(PatchType.JSON),
            "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\","
                + "\"value\":\"registry.example.com/shop/api:1.8.3\"}]");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  private void createNamespace(String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
        .addToLabels(BENCH_LABEL, "true").endMetadata().build()).create();
  }

  /** Deletes the namespaces of an earlier run and waits until they are gone (before any measurement). */
  private void deleteLeftovers() throws InterruptedException {
    client.namespaces().withLabel(BENCH_LABEL).delete();
    for (int i = 0; i < 600 && !client.namespaces().withLabel(BENCH_LABEL).list().getItems().isEmpty(); i++) {
      Thread.sleep(500);
    }
  }

  /** Runs the action for every app from 16 threads, as many clients applying manifests at once would. */
  private static void parallel(List<String> apps, Consumer<String> action) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> futures = new ArrayList<>();
      apps.forEach(a -> futures.add(pool.submit(() -> action.accept(a))));
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static Map<String, Object> machine() throws java.io.IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemTotal:")) {
        m.put("memoryGiB", round(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0));
      }
    }
    m.put("loadAverageAtStart", Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    m.put("date", Instant.now().toString());
    return m;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }

  private static double seconds(Instant from, Instant to) {
    return round(Duration.between(from, to).toNanos() / 1e9);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static void log(String format, Object... args) {
    System.err.printf("[bench] " + format + "%n", args);
  }
}
