package dev.baton.chaos;

import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.CanarySpec;
import dev.baton.api.v1alpha1.CanaryStep;
import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.bluegreen.Apps;
import dev.baton.planning.Labels;
import dev.baton.testcluster.AppTraffic;
import dev.baton.testcluster.CapacityWatcher;
import dev.baton.testcluster.InProcessOperator;
import dev.baton.testcluster.OperatorProcess;
import dev.baton.testcluster.SelectorHistory;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TrafficLedger;
import dev.baton.traffic.TrafficApps;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Rollouts of many apps, over blue/green through every provider and canary, repeated while
 * faults are injected at seeded random moments, under real traffic through the proxy.
 *
 * <p>Two operator processes share a Lease (as the chart runs them with {@code replicas: 2}).
 * The faults: SIGKILL of the leader or of the standby, each restarted at once under the same
 * identity (a kill of the leader is a failover: the standby takes the Lease when it expires), and
 * now and then a hand deletion of a child object that serves no request (a blue/green app's
 * preview Service). Everything else in the world is left alone, so each figure is Baton's own.
 *
 * <p>{@link ChaosIT} runs a short slice of it in the suite; {@link ChaosBench}
 * ({@code bench/chaos.sh}) the long run. Not injected (yet): restarts of kube-apiserver and etcd,
 * kills of migration Jobs' pods.
 */
final class ChaosRun {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ChaosRun.class);

  /**
   * The size of a run.
   *
   * @param seed what the faults' moments and kinds are drawn from: the same seed, the same plan
   * @param apps how many apps (strategies and providers in turn)
   * @param rounds how many times each app's image is changed
   * @param minGap shortest time between two faults
   * @param maxGap longest time between two faults
   */
  record Settings(long seed, int apps, int rounds, Duration minGap, Duration maxGap) {}

  /** What a run saw. */
  record Figures(Settings settings, Duration took, int rolloutsCompleted, int rolloutsAsked,
      Map<String, Integer> faults, long requests, long failedRequests, List<String> failures,
      int capacityDips, List<String> dips, List<String> notHealthy, Map<Integer, Integer>
      switchesPerRollout, int promotedEventsExtra) {

    /** The figures as the README's Reliability section quotes them. */
    String summary() {
      return String.format(Locale.ROOT, """
          chaos seed=%d apps=%d rounds=%d gap %d-%d ms, in %d s
            rollouts completed / asked            %d / %d
            faults injected                       %s
            requests through the proxy, failed    %d, %d
            capacity dips seen by the watcher     %d
            apps not Healthy on the newest revision after the deadline  %d %s
            active Service switches per rollout   %s (rollouts by switch count)
            Promoted Events beyond one per rollout %d""",
          settings.seed(), settings.apps(), settings.rounds(), settings.minGap().toMillis(),
          settings.maxGap().toMillis(), took.toSeconds(), rolloutsCompleted, rolloutsAsked,
          faults, requests, failedRequests, capacityDips, notHealthy.size(), notHealthy,
          switchesPerRollout, promotedEventsExtra);
    }
  }

  /** How long every app has, after the last fault, to be Healthy on its newest revision. */
  static final Duration DEADLINE = Duration.ofSeconds(120);
  /** How long one round waits for every app while faults go on. */
  private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(240);
  private static final int REQUESTS_PER_SECOND = 4;
  private static final List<IngressSpec.Provider> BLUE_GREEN_PROVIDERS = List.of(
      IngressSpec.Provider.none, IngressSpec.Provider.nginx, IngressSpec.Provider.traefik,
      IngressSpec.Provider.gatewayAPI);

  private final TestCluster cluster;
  private final KubernetesClient client;
  private final Settings settings;
  private final SplittableRandom random;
  private final Map<String, Integer> faults = new TreeMap<>();
  private final OperatorProcess[] replicas = new OperatorProcess[2];
  private final int[] starts = new int[2];

  ChaosRun(TestCluster cluster, Settings settings) {
    this.cluster = cluster;
    this.client = cluster.client();
    this.settings = settings;
    this.random = new SplittableRandom(settings.seed());
  }

  /** Runs the rounds with faults, then gives every app the deadline; returns what it saw. */
  Figures run() throws InterruptedException {
    InProcessOperator.installCrd(client);
    Instant started = Instant.now();
    List<BatonApp> apps = new ArrayList<>();
    List<CapacityWatcher> watchers = new ArrayList<>();
    List<SelectorHistory> selectors = new ArrayList<>();
    List<AppTraffic> traffic = new ArrayList<>();
    int completed = 0;
    try {
      startReplica(0);
      startReplica(1);
      for (int i = 0; i < settings.apps(); i++) {
        BatonApp app = app(i);
        apps.add(app);
        client.resource(app).create();
      }
      for (BatonApp app : apps) {
        String name = app.getMetadata().getName();
        Apps.awaitPhase(client, name, Phase.Healthy);
        CapacityWatcher watcher = new CapacityWatcher(client, name, app.getSpec().replicas);
        await().atMost(Apps.TIMEOUT).until(() -> watcher.readyEndpoints()
            >= app.getSpec().replicas);
        watcher.arm();
        watchers.add(watcher);
        selectors.add(new SelectorHistory(client, name, Labels.REVISION_HASH));
        traffic.add(AppTraffic.start(cluster, app, REQUESTS_PER_SECOND));
      }

      AtomicBoolean stop = new AtomicBoolean();
      Thread injector = new Thread(() -> injectUntil(stop, apps), "chaos-faults");
      injector.start();
      Instant lastFault;
      try {
        for (int round = 1; round <= settings.rounds(); round++) {
          int revision = round + 1;
          for (BatonApp app : apps) {
            Apps.setImage(client, app.getMetadata().getName(),
                "registry.example.com/shop/api:" + revision);
          }
          completed += awaitRevision(apps, revision, ROUND_TIMEOUT);
        }
      } finally {
        stop.set(true);
        injector.join();
        lastFault = Instant.now();
      }
      ensureBothRunning();

      int newest = settings.rounds() + 1;
      Instant deadline = lastFault.plus(DEADLINE);
      List<String> notHealthy = new ArrayList<>();
      for (BatonApp app : apps) {
        String name = app.getMetadata().getName();
        Duration left = Duration.between(Instant.now(), deadline);
        if (!awaitHealthyOn(name, newest, left.isNegative() ? Duration.ZERO : left)) {
          BatonApp now = Apps.get(client, name);
          notHealthy.add(name + " (" + (now.getStatus() == null ? "no status"
              : now.getStatus().phase + " rev " + now.getStatus().activeRevision) + ")");
        }
      }

      long requests = 0;
      long failed = 0;
      List<String> failures = new ArrayList<>();
      for (AppTraffic t : traffic) {
        TrafficLedger ledger = t.ledger();
        requests += ledger.outcomes().size();
        failed += ledger.failures().size();
        ledger.failures().stream().limit(5).map(Object::toString).forEach(failures::add);
      }
      List<String> dips = new ArrayList<>();
      for (int i = 0; i < watchers.size(); i++) {
        for (String v : watchers.get(i).violations()) {
          dips.add(apps.get(i).getMetadata().getName() + ": " + v);
        }
      }
      // A rollout switched once shows one more selector value; the first is the initial deploy.
      Map<Integer, Integer> switches = new TreeMap<>();
      int extraPromoted = 0;
      for (int i = 0; i < apps.size(); i++) {
        int values = selectors.get(i).values().size();
        int rollouts = settings.rounds();
        switches.merge(Math.round((float) (values - 1) / rollouts), rollouts, Integer::sum);
        String name = apps.get(i).getMetadata().getName();
        long promoted = client.v1().events().withField("involvedObject.name", name).list()
            .getItems().stream().filter(e -> "Promoted".equals(e.getReason())).count();
        extraPromoted += (int) Math.max(0, promoted - rollouts);
        if (values - 1 != rollouts) {
          notHealthy.add(name + " switched " + (values - 1) + " times in " + rollouts
              + " rollouts: " + selectors.get(i).values());
        }
      }
      return new Figures(settings, Duration.between(started, Instant.now()), completed,
          settings.apps() * settings.rounds(), Map.copyOf(faults), requests, failed, failures,
          dips.size(), dips, notHealthy, switches, extraPromoted);
    } finally {
      traffic.forEach(AppTraffic::close);
      watchers.forEach(CapacityWatcher::close);
      selectors.forEach(SelectorHistory::close);
      for (OperatorProcess p : replicas) {
        if (p != null) {
          p.close();
        }
      }
    }
  }

  /** App {@code i}: blue/green through each provider in turn, every fifth a canary. */
  private BatonApp app(int i) {
    String name = "chaos-" + i;
    boolean canary = i % 5 == 4;
    IngressSpec.Provider provider = canary ? IngressSpec.Provider.traefik
        : BLUE_GREEN_PROVIDERS.get(i % 5 % BLUE_GREEN_PROVIDERS.size());
    BatonApp app = TrafficApps.behind(client, name, provider);
    app.getSpec().replicas = 2;
    // Failovers and restarts slow a rollout down; they must not abort it.
    app.getSpec().progressDeadlineSeconds = 600;
    if (canary) {
      app.getSpec().strategy.blueGreen = null;
      app.getSpec().strategy.canary = new CanarySpec();
      app.getSpec().strategy.canary.steps = List.of(CanaryStep.weight(50),
          CanaryStep.pauseFor(2));
    } else {
      app.getSpec().strategy.blueGreen.promotionDelaySeconds = 1;
      app.getSpec().strategy.blueGreen.scaleDownDelaySeconds = 3;
    }
    return app;
  }

  private void injectUntil(AtomicBoolean stop, List<BatonApp> apps) {
    while (!stop.get()) {
      long gap = settings.minGap().toMillis()
          + random.nextLong(settings.maxGap().toMillis() - settings.minGap().toMillis() + 1);
      try {
        Thread.sleep(gap); // the fault's moment: seeded, so a run can be replayed
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (stop.get()) {
        return;
      }
      int dice = random.nextInt(10);
      try {
        if (dice < 9) {
          killReplica(dice < 5);
        } else {
          deletePreviewService(apps);
        }
      } catch (RuntimeException e) {
        // A fault that could not be injected (the API busy) is not counted, and the run goes on.
        faults.merge("not injected: " + e.getClass().getSimpleName(), 1, Integer::sum);
      }
    }
  }

  /** SIGKILL of the Lease holder (or of the other replica), restarted at once. */
  private void killReplica(boolean leader) {
    String holder = holder();
    int index;
    if (holder == null) {
      index = random.nextInt(2);
    } else {
      int holding = holder.equals(identity(0)) ? 0 : 1;
      index = leader ? holding : 1 - holding;
    }
    replicas[index].kill();
    LOG.info("chaos: SIGKILL of {} ({})", identity(index), holder == null ? "no leader yet"
        : leader ? "the leader" : "the standby");
    faults.merge(holder == null ? "operator SIGKILL (no leader yet)"
        : leader ? "operator SIGKILL of the leader" : "operator SIGKILL of the standby", 1,
        Integer::sum);
    startReplica(index);
  }

  /** The preview Service of a blue/green app serves no request: Baton must put it back. */
  private void deletePreviewService(List<BatonApp> apps) {
    List<BatonApp> blueGreen = apps.stream()
        .filter(a -> a.getSpec().strategy.blueGreen != null).toList();
    BatonApp app = blueGreen.get(random.nextInt(blueGreen.size()));
    client.services().withName(app.getMetadata().getName() + "-preview").delete();
    LOG.info("chaos: deleted Service {}-preview", app.getMetadata().getName());
    faults.merge("preview Service deleted by hand", 1, Integer::sum);
  }

  private void ensureBothRunning() {
    for (int i = 0; i < 2; i++) {
      if (!replicas[i].isAlive()) {
        startReplica(i);
      }
    }
  }

  private void startReplica(int index) {
    starts[index]++;
    replicas[index] = OperatorProcess.start(cluster, "chaos-" + identity(index) + "-"
        + starts[index], 0, Map.of("BATON_LEADER_ELECTION_NAMESPACE", cluster.namespace(),
            "BATON_LEADER_ELECTION_LEASE", "baton-chaos", "BATON_POD_NAME", identity(index)));
  }

  private static String identity(int index) {
    return "baton-chaos-" + (char) ('a' + index);
  }

  private String holder() {
    Lease lease = client.resources(Lease.class).withName("baton-chaos").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  /** How many apps reached {@code revision} and Healthy within {@code timeout}. */
  private int awaitRevision(List<BatonApp> apps, int revision, Duration timeout) {
    Instant until = Instant.now().plus(timeout);
    int done = 0;
    for (BatonApp app : apps) {
      Duration left = Duration.between(Instant.now(), until);
      if (awaitHealthyOn(app.getMetadata().getName(), revision,
          left.isNegative() ? Duration.ZERO : left)) {
        done++;
      }
    }
    return done;
  }

  private boolean awaitHealthyOn(String name, int revision, Duration within) {
    java.util.concurrent.Callable<Boolean> healthy = () -> {
      BatonApp a = Apps.get(client, name);
      return a != null && a.getStatus() != null && a.getStatus().phase == Phase.Healthy
          && Integer.valueOf(revision).equals(a.getStatus().activeRevision)
          && a.getMetadata().getGeneration().equals(a.getStatus().observedGeneration)
          && a.getStatus().previewHash == null;
    };
    try {
      if (within.compareTo(Duration.ofSeconds(1)) < 0) {
        return healthy.call(); // the time is up: one look
      }
      await().atMost(within).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
          .until(healthy);
      return true;
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      return false;
    } catch (Exception e) {
      return false;
    }
  }
}
