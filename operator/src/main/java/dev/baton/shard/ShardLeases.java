package dev.baton.shard;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds this replica's shards: one Lease per shard ({@code <base>-shard-<n>}) and one membership
 * Lease per replica ({@code <base>-member-<identity>}), in the operator's namespace. Every
 * {@link #RETRY} it lists them, renews what it holds, and takes or gives back shards as
 * {@link ShardBalance} decides. A shard is started only after its Lease is ours and its Lease is
 * given back only after the shard has stopped, so two replicas never reconcile one shard.
 *
 * <p>Expiry is judged as client-go's leader election judges it: by how long this replica has seen
 * a Lease unchanged on its own clock, never by the times written in it, so clock skew between
 * nodes cannot make a live holder look dead.
 */
public final class ShardLeases implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ShardLeases.class);

  /** How long a Lease lives without renewal; another replica may take it after that. */
  public static final Duration LEASE = Duration.ofSeconds(10);
  /** A holder that could not renew for this long stops (it exits): under {@link #LEASE}. */
  public static final Duration RENEW_DEADLINE = Duration.ofSeconds(8);
  /** How often the Leases are looked at. */
  public static final Duration RETRY = Duration.ofSeconds(2);
  /** A membership Lease unrenewed for this long belongs to a replica that is gone: deleted. */
  static final Duration MEMBER_GONE = Duration.ofMinutes(1);

  /** The label on every Lease of a sharded Baton: the base name. */
  public static final String LEASES_OF = "baton.dev/shard-leases";
  private static final String ROLE = "baton.dev/lease-role";

  /** Starts and stops the reconciling of one shard. */
  public interface Shards {
    /** Starts reconciling the shard; returns once its caches are synced. */
    void start(int shard) throws Exception;

    /** Stops reconciling the shard; returns once no reconcile of it runs. */
    void stop(int shard);
  }

  private final KubernetesClient client;
  private final String namespace;
  private final String base;
  private final int shards;
  private final String identity;
  private final Shards runner;
  private final Runnable lost;
  private final Clock clock;
  private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(
      r -> daemon(r, "baton-shard-leases"));
  /** Starts and stops run here, so that renewing never waits for a shard to start or stop. */
  private final ExecutorService lifecycle = Executors.newSingleThreadExecutor(
      r -> daemon(r, "baton-shard-lifecycle"));

  /** The shards whose Lease this replica holds, with when it last renewed each. */
  private final Map<Integer, Instant> held = new ConcurrentHashMap<>();
  /** Shards being stopped before their Lease is given back. */
  private final Set<Integer> releasing = ConcurrentHashMap.newKeySet();
  /** Each Lease's resourceVersion and when this replica first saw it. */
  private final Map<String, Observed> observed = new HashMap<>();
  private volatile boolean closed;

  private record Observed(String resourceVersion, Instant since) {}

  /**
   * @param lost called when a held shard's Lease is lost (another replica holds it, or it could
   *     not be renewed in time); the process must stop reconciling at once
   */
  public ShardLeases(KubernetesClient client, String namespace, String base, int shards,
      String identity, Shards runner, Runnable lost, Clock clock, MeterRegistry registry) {
    this.client = client;
    this.namespace = namespace;
    this.base = base;
    this.shards = shards;
    this.identity = identity;
    this.runner = runner;
    this.lost = lost;
    this.clock = clock;
    for (int shard = 0; shard < shards; shard++) {
      int s = shard;
      Gauge.builder("baton.shard.owned", held, h -> h.containsKey(s) ? 1 : 0)
          .description("1 for each shard this replica reconciles")
          .tag("shard", Integer.toString(shard)).register(registry);
    }
    Gauge.builder("baton.shards", () -> shards).description("How many shards the apps split into")
        .register(registry);
  }

  /** Starts looking at the Leases every {@link #RETRY}. */
  public void start() {
    ticks.scheduleWithFixedDelay(this::tickSafely, 0, RETRY.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The shards held now. */
  public Set<Integer> held() {
    return Set.copyOf(held.keySet());
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.warn("Could not look at the shard Leases: {}", e.getMessage());
      checkDeadlines();
    }
  }

  private synchronized void tick() {
    if (closed) {
      return;
    }
    Instant now = clock.instant();
    List<Lease> leases = client.resources(Lease.class).inNamespace(namespace)
        .withLabel(LEASES_OF, base).list().getItems();
    Map<String, Lease> byName = new HashMap<>();
    for (Lease lease : leases) {
      String name = lease.getMetadata().getName();
      byName.put(name, lease);
      Observed before = observed.get(name);
      if (before == null || !before.resourceVersion()
          .equals(lease.getMetadata().getResourceVersion())) {
        observed.put(name, new Observed(lease.getMetadata().getResourceVersion(), now));
      }
    }
    observed.keySet().retainAll(byName.keySet());

    renewMember(byName.get(memberName()), now);
    for (int shard : Set.copyOf(held.keySet())) {
      renew(shard, byName.get(shardName(shard)), now);
    }

    Map<Integer, String> holders = new HashMap<>();
    for (int shard = 0; shard < shards; shard++) {
      Lease lease = byName.get(shardName(shard));
      String holder = lease == null ? null : lease.getSpec().getHolderIdentity();
      if (held.containsKey(shard)) {
        holders.put(shard, identity);
      } else if (holder != null && !holder.isEmpty() && live(lease, now)) {
        holders.put(shard, holder);
      }
    }
    Set<String> members = byName.values().stream()
        .filter(l -> "member".equals(l.getMetadata().getLabels().get(ROLE)))
        .filter(l -> live(l, now) && l.getSpec().getHolderIdentity() != null)
        .map(l -> l.getSpec().getHolderIdentity())
        .collect(java.util.stream.Collectors.toSet());
    ShardBalance.Decision decision = ShardBalance.decide(identity,
        Set.copyOf(held.keySet()), new ShardBalance.View(shards, holders, members));
    for (int shard : decision.release()) {
      release(shard);
    }
    for (int shard : decision.acquire()) {
      acquire(shard, byName.get(shardName(shard)), now);
    }
    collectGoneMembers(byName.values(), now);
  }

  private boolean live(Lease lease, Instant now) {
    Observed seen = observed.get(lease.getMetadata().getName());
    Integer seconds = lease.getSpec().getLeaseDurationSeconds();
    Duration duration = seconds == null ? LEASE : Duration.ofSeconds(seconds);
    return seen != null && seen.since().plus(duration).isAfter(now);
  }

  private void renew(int shard, Lease lease, Instant now) {
    if (lease == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
      LOG.error("Shard {} is held by {} now: exiting so that only one replica reconciles it",
          shard, lease == null ? "nobody (its Lease is gone)" : lease.getSpec().getHolderIdentity());
      lost.run();
      return;
    }
    lease.getSpec().setRenewTime(micro(now));
    try {
      client.resource(lease).update();
      held.put(shard, now);
    } catch (KubernetesClientException e) {
      LOG.warn("Could not renew the Lease of shard {}: {}", shard, e.getMessage());
      checkDeadlines();
    }
  }

  /** Stops the process when a held Lease went unrenewed for {@link #RENEW_DEADLINE}. */
  private void checkDeadlines() {
    Instant now = clock.instant();
    held.forEach((shard, renewed) -> {
      if (renewed.plus(RENEW_DEADLINE).isBefore(now)) {
        LOG.error("Could not renew the Lease of shard {} for {} s: exiting so that only one"
            + " replica reconciles it", shard, RENEW_DEADLINE.toSeconds());
        lost.run();
      }
    });
  }

  private void acquire(int shard, Lease lease, Instant now) {
    Lease taken = lease != null ? lease : new Lease(null, null,
        new ObjectMetaBuilder().withName(shardName(shard)).withNamespace(namespace)
            .addToLabels(LEASES_OF, base).addToLabels(ROLE, "shard").build(), new LeaseSpec());
    LeaseSpec spec = taken.getSpec();
    String previous = spec.getHolderIdentity();
    spec.setHolderIdentity(identity);
    spec.setLeaseDurationSeconds((int) LEASE.toSeconds());
    spec.setAcquireTime(micro(now));
    spec.setRenewTime(micro(now));
    if (!identity.equals(previous)) {
      spec.setLeaseTransitions((spec.getLeaseTransitions() == null ? 0
          : spec.getLeaseTransitions()) + 1);
    }
    try {
      // An update carries the resourceVersion seen: if anyone wrote the Lease since, it fails
      // and the shard stays theirs.
      if (lease == null) {
        client.resource(taken).create();
      } else {
        client.resource(taken).update();
      }
    } catch (KubernetesClientException e) {
      LOG.info("Shard {} was taken by another replica first ({})", shard, e.getCode());
      return;
    }
    held.put(shard, now);
    LOG.info("Took shard {} of {}{}", shard, shards,
        previous == null || previous.isEmpty() ? "" : " over from " + previous);
    lifecycle.submit(() -> {
      try {
        runner.start(shard);
        LOG.info("Reconciling shard {}", shard);
      } catch (Exception e) {
        LOG.error("Could not start shard {}: exiting so that another replica takes it", shard, e);
        lost.run();
      }
    });
  }

  private void release(int shard) {
    if (!releasing.add(shard)) {
      return;
    }
    LOG.info("Giving shard {} back: another replica is under its share", shard);
    lifecycle.submit(() -> {
      runner.stop(shard);
      synchronized (this) {
        clear(shard);
        held.remove(shard);
        releasing.remove(shard);
      }
    });
  }

  /** Empties a held shard's Lease, so that another replica takes it at its next look. */
  private void clear(int shard) {
    try {
      Lease lease = client.resources(Lease.class).inNamespace(namespace)
          .withName(shardName(shard)).get();
      if (lease != null && identity.equals(lease.getSpec().getHolderIdentity())) {
        lease.getSpec().setHolderIdentity("");
        client.resource(lease).update();
      }
    } catch (KubernetesClientException e) {
      // It expires on its own in LEASE.
      LOG.warn("Could not give the Lease of shard {} back: {}", shard, e.getMessage());
    }
  }

  private void renewMember(Lease lease, Instant now) {
    try {
      if (lease == null) {
        LeaseSpec spec = new LeaseSpec();
        spec.setHolderIdentity(identity);
        spec.setLeaseDurationSeconds((int) LEASE.toSeconds());
        spec.setAcquireTime(micro(now));
        spec.setRenewTime(micro(now));
        client.resource(new Lease(null, null, new ObjectMetaBuilder().withName(memberName())
            .withNamespace(namespace).addToLabels(LEASES_OF, base).addToLabels(ROLE, "member")
            .build(), spec)).create();
      } else {
        lease.getSpec().setRenewTime(micro(now));
        client.resource(lease).update();
      }
    } catch (KubernetesClientException e) {
      LOG.debug("Could not renew the membership Lease: {}", e.getMessage());
    }
  }

  private void collectGoneMembers(java.util.Collection<Lease> leases, Instant now) {
    for (Lease lease : leases) {
      Observed seen = observed.get(lease.getMetadata().getName());
      if ("member".equals(lease.getMetadata().getLabels().get(ROLE))
          && !lease.getMetadata().getName().equals(memberName()) && seen != null
          && seen.since().plus(MEMBER_GONE).isBefore(now)) {
        try {
          client.resource(lease).delete();
        } catch (KubernetesClientException e) {
          LOG.debug("Could not delete the membership Lease {}: {}",
              lease.getMetadata().getName(), e.getMessage());
        }
      }
    }
  }

  /** Stops every shard, gives their Leases back and leaves (a graceful shutdown). */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    ticks.shutdownNow();
    lifecycle.shutdown();
    try {
      lifecycle.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (int shard : Set.copyOf(held.keySet())) {
      runner.stop(shard);
      clear(shard);
      held.remove(shard);
    }
    try {
      client.resources(Lease.class).inNamespace(namespace).withName(memberName()).delete();
    } catch (KubernetesClientException e) {
      LOG.debug("Could not delete the membership Lease: {}", e.getMessage());
    }
  }

  /** Stops looking at the Leases without giving any back: a replica that died, for tests. */
  void abandon() {
    closed = true;
    ticks.shutdownNow();
    lifecycle.shutdownNow();
  }

  String shardName(int shard) {
    return base + "-shard-" + shard;
  }

  String memberName() {
    String id = identity.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-")
        .replaceAll("^-+|-+$", "");
    String name = base + "-member-" + id;
    return name.length() <= 253 ? name : name.substring(0, 253);
  }

  private static java.time.ZonedDateTime micro(Instant instant) {
    return instant.atZone(ZoneOffset.UTC);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
