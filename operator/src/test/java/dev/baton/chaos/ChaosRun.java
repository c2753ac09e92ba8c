package dev.baton.chaos;

import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.CanarySpec;
import dev.baton.api.v1alpha1.CanaryStep;
import dev.baton.api.v1alpha1.CredentialsRef;
import dev.baton.api.v1alpha1.DatabaseEndpoint;
import dev.baton.api.v1alpha1.DatabaseSpec;
import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.api.v1alpha1.MigrationSpec;
import dev.baton.api.v1alpha1.MigrationStep;
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
import io.fabric8.kubernetes.api.model.SecretBuilder;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Rollouts of many apps, over blue/green through every provider and canary, repeated while
 * faults are injected at seeded random moments, under real traffic through the proxy.
 *
 * <p>Two operator processes share a Lease (as the chart runs them with {@code replicas: 2}).
 * The faults: SIGKILL of the leader or of the standby, each restarted at once under the same
 * identity (a kill of the leader is a failover: the standby takes the Lease when it expires);
 * restarts of kube-apiserver and of etcd (SIGKILL, started again at once), a few per run, each
 * in a round drawn from the seed, while that round's rollouts run; kills of running migration
 * pods ({@link MigrationPods}: some apps have expand/contract migrations); and now and then a
 * hand deletion of a child object that serves no request ({@link HandDeletions}). A replica that
 * exits on its own (it could not renew the Lease while the API server was away, and halts) is
 * started again, as a kubelet would. Everything else in the world is left alone, so each figure
 * is Baton's own.
 *
 * <p>{@link ChaosIT} runs a short slice of it in the suite; {@link ChaosBench}
 * ({@code bench/chaos.sh}) the long run.
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
   * @param apiServerRestarts restarts of kube-apiserver, in as many rounds (at most one a round)
   * @param etcdRestarts restarts of etcd, in as many rounds
   */
  record Settings(long seed, int apps, int rounds, Duration minGap, Duration maxGap,
      int apiServerRestarts, int etcdRestarts) {}

  /** What a run saw. */
  record Figures(Settings settings, Duration took, int rolloutsCompleted, int rolloutsAsked,
      Map<String, Integer> faults, List<String> restarts, long requests, long failedRequests,
      List<String> failures, int capacityDips, List<String> dips, List<String> notHealthy,
      Map<Integer, Integer> switchesPerRollout, int promotedEventsExtra, int migrationApps,
      Map<String, Integer> migrationJobs, int revisionsMigrated,
      List<String> migrationJobsRecreated, List<String> migrationRetries, int handDeleted,
      List<String> notPutBack) {

    /** The figures as the README's Reliability section quotes them. */
    String summary() {
      return String.format(Locale.ROOT, """
          chaos seed=%d apps=%d (%d with migrations) rounds=%d gap %d-%d ms, in %d s
            rollouts completed / asked            %d / %d
            faults injected                       %s
            control-plane restarts, kill to ready %s
            requests through the proxy, failed    %d, %d
            capacity dips seen by the watcher     %d
            apps not Healthy on the newest revision after the deadline  %d %s
            active Service switches per rollout   %s (rollouts by switch count)
            Promoted Events beyond one per rollout %d
            migration Jobs created, by phase      %s (for %d revisions)
            migration Jobs created more than once (by UID)  %d %s
            migration Jobs of a second attempt    %d %s
            children deleted by hand, not put back  %d of %d %s""",
          settings.seed(), settings.apps(), migrationApps, settings.rounds(),
          settings.minGap().toMillis(), settings.maxGap().toMillis(), took.toSeconds(),
          rolloutsCompleted, rolloutsAsked, faults, restarts, requests, failedRequests,
          capacityDips, notHealthy.size(), notHealthy, switchesPerRollout, promotedEventsExtra,
          migrationJobs, revisionsMigrated, migrationJobsRecreated.size(),
          migrationJobsRecreated, migrationRetries.size(), migrationRetries, notPutBack.size(),
          handDeleted, notPutBack);
    }
  }

  /** How long every app has, after the last fault, to be Healthy on its newest revision. */
  static final Duration DEADLINE = Duration.ofSeconds(120);
  /** How long one round waits for every app while faults go on. */
  private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(240);
  /** How long a restarted kube-apiserver or etcd has to be ready again. */
  private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(120);
  private static final int REQUESTS_PER_SECOND = 4;
  /** The chance, in percent, that the first pod of a migration Job is killed while faults run. */
  private static final int MIGRATION_KILL_PERCENT = 35;
  /** The port of the data tier's read replicas (an IP endpoint: Baton writes its slice). */
  private static final int REPLICA_PORT = 5432;
  private static final String DB_SECRET = "chaos-db";
  private static final List<IngressSpec.Provider> BLUE_GREEN_PROVIDERS = List.of(
      IngressSpec.Provider.none, IngressSpec.Provider.nginx, IngressSpec.Provider.traefik,
      IngressSpec.Provider.gatewayAPI);

  private final TestCluster cluster;
  private final KubernetesClient client;
  private final Settings settings;
  private final SplittableRandom random;
  private final SplittableRandom migrationRandom;
  private final Map<Integer, List<String>> restartsByRound;
  private final Map<String, Integer> faults = new TreeMap<>();
  private final List<String> restarts = new CopyOnWriteArrayList<>();
  private final AtomicInteger round = new AtomicInteger();
  private final Object replicaLock = new Object();
  private final OperatorProcess[] replicas = new OperatorProcess[2];
  private final int[] starts = new int[2];

  ChaosRun(TestCluster cluster, Settings settings) {
    this.cluster = cluster;
    this.client = cluster.client();
    this.settings = settings;
    this.random = new SplittableRandom(settings.seed());
    this.migrationRandom = random.split();
    this.restartsByRound = restartPlan(random.split(), settings);
  }

  /**
   * Which rounds restart which component: for each, as many distinct rounds as it has restarts,
   * drawn from the seed. The restart comes at the round's first fault moment, while the round's
   * rollouts run.
   */
  static Map<Integer, List<String>> restartPlan(SplittableRandom r, Settings s) {
    Map<Integer, List<String>> plan = new TreeMap<>();
    List<Map.Entry<String, Integer>> components = List.of(
        Map.entry(TestCluster.KUBE_APISERVER, s.apiServerRestarts()),
        Map.entry(TestCluster.ETCD, s.etcdRestarts()));
    for (Map.Entry<String, Integer> c : components) {
      List<Integer> rounds = new ArrayList<>(IntStream.rangeClosed(1, s.rounds()).boxed().toList());
      for (int i = 0; i < Math.min(c.getValue(), s.rounds()); i++) {
        int at = rounds.remove(r.nextInt(rounds.size()));
        plan.computeIfAbsent(at, k -> new ArrayList<>()).add(c.getKey());
      }
    }
    return plan;
  }

  /** Runs the rounds with faults, then gives every app the deadline; returns what it saw. */
  Figures run() throws InterruptedException {
    InProcessOperator.installCrd(client);
    Instant started = Instant.now();
    List<BatonApp> apps = new ArrayList<>();
    List<CapacityWatcher> watchers = new ArrayList<>();
    List<SelectorHistory> selectors = new ArrayList<>();
    List<AppTraffic> traffic = new ArrayList<>();
    AtomicBoolean supervising = new AtomicBoolean(true);
    Thread supervisor = new Thread(() -> superviseWhile(supervising), "chaos-supervisor");
    int completed = 0;
    try (MigrationPods migrations = new MigrationPods(client, migrationRandom,
        MIGRATION_KILL_PERCENT)) {
      client.resource(new SecretBuilder().withNewMetadata().withName(DB_SECRET).endMetadata()
          .addToStringData("username", "chaos").addToStringData("password",
              "chaos-" + Long.toHexString(new SplittableRandom().nextLong()))
          .build()).create();
      startReplica(0);
      startReplica(1);
      supervisor.start();
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
      HandDeletions deletions = new HandDeletions(client, apps, REPLICA_PORT);

      AtomicBoolean stop = new AtomicBoolean();
      Thread injector = new Thread(() -> injectUntil(stop, deletions), "chaos-faults");
      migrations.faultsOn();
      injector.start();
      Instant lastFault;
      try {
        for (int r = 1; r <= settings.rounds(); r++) {
          int revision = r + 1;
          round.set(r);
          for (BatonApp app : apps) {
            setImage(app.getMetadata().getName(), "registry.example.com/shop/api:" + revision);
          }
          completed += awaitRevision(apps, revision, ROUND_TIMEOUT);
        }
      } finally {
        stop.set(true);
        injector.join();
        migrations.faultsOff();
        lastFault = Instant.now();
      }

      int newest = settings.rounds() + 1;
      Instant deadline = lastFault.plus(DEADLINE);
      List<String> notHealthy = new ArrayList<>();
      for (BatonApp app : apps) {
        String name = app.getMetadata().getName();
        if (!awaitHealthyOn(name, newest, left(deadline))) {
          BatonApp now = Apps.get(client, name);
          notHealthy.add(name + " (" + (now.getStatus() == null ? "no status"
              : now.getStatus().phase + " rev " + now.getStatus().activeRevision) + ")");
        }
      }
      // Every revision of a migrating app runs its expand before it gets a pod. Its contract runs
      // only once it serves with every other version at zero: the newest one's after the
      // previous version's rollback window, an earlier one's only if the next rollout did not
      // start before that.
      int migrating = (int) apps.stream().filter(a -> a.getSpec().database != null).count();
      int revisionsMigrated = migrating * (settings.rounds() + 1);
      List<String> lastContracts = apps.stream().filter(a -> a.getSpec().database != null)
          .map(a -> a.getMetadata().getName() + "-r" + newest + "-contract").toList();
      within(Duration.ofSeconds(30).plus(left(deadline)),
          () -> migrations.jobs().keySet().containsAll(lastContracts));
      List<String> recreated = migrations.jobs().entrySet().stream()
          .filter(e -> e.getValue().size() != 1)
          .map(e -> e.getKey() + " " + e.getValue().size() + " UIDs").toList();
      within(Duration.ofSeconds(30), () -> deletions.missing().isEmpty());

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
      Map<String, Integer> injected;
      synchronized (faults) {
        injected = new TreeMap<>(faults);
      }
      injected.put("migration pod deleted while running", migrations.kills());
      return new Figures(settings, Duration.between(started, Instant.now()), completed,
          settings.apps() * settings.rounds(), java.util.Collections.unmodifiableMap(injected),
          List.copyOf(restarts), requests, failed, failures, dips.size(), dips, notHealthy,
          switches, extraPromoted, migrating, byPhase(migrations.jobs().keySet()),
          revisionsMigrated, recreated, migrations.retries(), deletions.count(),
          deletions.missing());
    } finally {
      traffic.forEach(AppTraffic::close);
      watchers.forEach(CapacityWatcher::close);
      selectors.forEach(SelectorHistory::close);
      supervising.set(false);
      supervisor.interrupt();
      supervisor.join();
      synchronized (replicaLock) {
        for (OperatorProcess p : replicas) {
          if (p != null) {
            p.close();
          }
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
    if (i % 5 == 1 || i % 5 == 2) {
      app.getSpec().database = database();
    }
    return app;
  }

  /**
   * A data tier with expand/contract migrations (as examples/database.yaml): a primary by DNS
   * name, a read replica by IP (Baton writes its EndpointSlice), a cache by selector. The
   * migration pods run until {@link MigrationPods} ends them; a kill is a failure for the Job,
   * so the back-off limit leaves room for it.
   */
  private static DatabaseSpec database() {
    DatabaseSpec db = new DatabaseSpec();
    db.primary = endpoint("primary.db.chaos.example", null, REPLICA_PORT);
    db.readReplicas = List.of(endpoint("198.51.100.7", null, REPLICA_PORT));
    db.cache = endpoint(null, Map.of("app", "chaos-cache"), 6379);
    db.credentialsSecretRef = new CredentialsRef();
    db.credentialsSecretRef.name = DB_SECRET;
    db.migration = new MigrationSpec();
    db.migration.image = "registry.example.com/shop/migrate:1";
    db.migration.expand = new MigrationStep();
    db.migration.expand.args = List.of("migrate", "expand");
    db.migration.contract = new MigrationStep();
    db.migration.contract.args = List.of("migrate", "contract");
    db.migration.backoffLimit = 3;
    db.migration.activeDeadlineSeconds = 900L;
    db.migration.podLabels = MigrationPods.podLabels();
    return db;
  }

  private static DatabaseEndpoint endpoint(String host, Map<String, String> selector, int port) {
    DatabaseEndpoint e = new DatabaseEndpoint();
    e.host = host;
    e.selector = selector;
    e.port = port;
    return e;
  }

  private void injectUntil(AtomicBoolean stop, HandDeletions deletions) {
    java.util.Set<String> restarted = new java.util.HashSet<>();
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
      int r = round.get();
      List<String> due = restartsByRound.getOrDefault(r, List.of()).stream()
          .filter(c -> !restarted.contains(r + " " + c)).toList();
      int dice = random.nextInt(10);
      try {
        if (!due.isEmpty()) {
          restarted.add(r + " " + due.get(0));
          restart(due.get(0));
        } else if (dice < 9) {
          killReplica(dice < 5);
        } else {
          count(deletions.deleteOne(random));
        }
      } catch (RuntimeException e) {
        // A fault that could not be injected (the API busy) is not counted, and the run goes on.
        LOG.warn("chaos: a fault was not injected", e);
        count("not injected: " + e.getClass().getSimpleName());
      }
    }
  }

  /** SIGKILL of kube-apiserver or etcd, started again at once; back once the API is ready. */
  private void restart(String component) {
    if (!cluster.canRestartComponents()) {
      count("not injected: " + component + " restart (not the local test cluster)");
      return;
    }
    LOG.info("chaos: SIGKILL of {} in round {}", component, round.get());
    Duration took = cluster.restart(component, RESTART_TIMEOUT);
    LOG.info("chaos: {} is back, ready {} ms after the kill", component, took.toMillis());
    restarts.add(String.format(Locale.ROOT, "%s %.1f s", component, took.toMillis() / 1000.0));
    count(component + " SIGKILL, restarted");
  }

  /** SIGKILL of the Lease holder (or of the other replica), restarted at once. */
  private void killReplica(boolean leader) {
    String holder = holder();
    synchronized (replicaLock) {
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
      count(holder == null ? "operator SIGKILL (no leader yet)"
          : leader ? "operator SIGKILL of the leader" : "operator SIGKILL of the standby");
      startReplica(index);
    }
  }

  /**
   * Starts again, as a kubelet would, a replica that exited on its own: one that could not renew
   * the Lease within its deadline (the API server or etcd away) halts rather than reconcile as a
   * leader it may no longer be.
   */
  private void superviseWhile(AtomicBoolean supervising) {
    while (supervising.get()) {
      synchronized (replicaLock) {
        for (int i = 0; i < 2; i++) {
          if (supervising.get() && replicas[i] != null && !replicas[i].isAlive()) {
            LOG.info("chaos: {} exited on its own; starting it again", identity(i));
            count("operator exited on its own (Lease not renewed), restarted");
            startReplica(i);
          }
        }
      }
      try {
        Thread.sleep(250); // a liveness poll, as a kubelet's
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void count(String kind) {
    synchronized (faults) {
      faults.merge(kind, 1, Integer::sum);
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

  /** Sets the image, again while the API server or etcd is away (the same edit, idempotent). */
  private void setImage(String name, String image) {
    await().atMost(RESTART_TIMEOUT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
        .until(() -> {
          Apps.setImage(client, name, image);
          return true;
        });
  }

  /** Migration Job names counted by phase ({@code <app>-r<N>-<phase>[-<attempt>]}). */
  private static Map<String, Integer> byPhase(java.util.Set<String> jobs) {
    Map<String, Integer> counts = new TreeMap<>();
    for (String job : jobs) {
      String phase = job.replaceAll("^.*-r[0-9]+-([a-zA-Z]+)(-[0-9]+)?$", "$1");
      counts.merge(phase, 1, Integer::sum);
    }
    return counts;
  }

  private static Duration left(Instant deadline) {
    Duration left = Duration.between(Instant.now(), deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Waits up to {@code within} for the condition; false when it did not hold by then. */
  private static boolean within(Duration within, java.util.concurrent.Callable<Boolean> test) {
    try {
      await().atMost(within.plusMillis(1)).pollInterval(Duration.ofMillis(250))
          .ignoreExceptions().until(test);
      return true;
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      return false;
    }
  }

  /** How many apps reached {@code revision} and Healthy within {@code timeout}. */
  private int awaitRevision(List<BatonApp> apps, int revision, Duration timeout) {
    Instant until = Instant.now().plus(timeout);
    int done = 0;
    for (BatonApp app : apps) {
      if (awaitHealthyOn(app.getMetadata().getName(), revision, left(until))) {
        done++;
      } else {
        LOG.warn("chaos: {} not Healthy on revision {} in time: {}", app.getMetadata().getName(),
            revision, stateOf(app.getMetadata().getName()));
      }
    }
    return done;
  }

  /**
   * What an app that missed its round shows: its status and, for Gateway API, which generation
   * of its HTTPRoute the gateway last accepted (Baton waits for that before it counts a weight).
   */
  private String stateOf(String name) {
    try {
      BatonApp a = Apps.get(client, name);
      if (a == null || a.getStatus() == null) {
        return "no status";
      }
      var st = a.getStatus();
      String route = java.util.Optional.ofNullable(client.resources(
              io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class).withName(name).get())
          .map(r -> " route generation " + r.getMetadata().getGeneration() + ", accepted for "
              + (r.getStatus() == null || r.getStatus().getParents() == null ? "none"
                  : r.getStatus().getParents().stream().flatMap(p -> p.getConditions().stream())
                      .filter(c -> "Accepted".equals(c.getType()))
                      .map(c -> c.getStatus() + "@" + c.getObservedGeneration()).toList()))
          .orElse("");
      return "phase " + st.phase + ", generation " + a.getMetadata().getGeneration()
          + " observed " + st.observedGeneration + ", active revision " + st.activeRevision
          + ", preview " + st.previewHash + ", message: " + st.message + route;
    } catch (RuntimeException e) {
      return "unreadable: " + e;
    }
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
      return within(within, healthy);
    } catch (Exception e) {
      return false;
    }
  }
}
