package dev.baton.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shard Leases on a real API server, without operators: replicas split the shards fairly,
 * a joining replica gets its share without anyone stopping, a graceful leaver's shards move at
 * once and a dead replica's within the Lease time; no shard ever runs in two replicas at once.
 */
@ExtendWith(TestClusterExtension.class)
class ShardLeasesIT {

  /** Every replica's running shards, and every moment two ran one shard. */
  private static final class Runs {
    final Set<String> running = ConcurrentHashMap.newKeySet();
    final List<String> overlaps = new CopyOnWriteArrayList<>();
    final AtomicInteger lost = new AtomicInteger();

    ShardLeases.Shards runner(String replica) {
      return new ShardLeases.Shards() {
        @Override
        public void start(int shard) {
          if (running.stream().anyMatch(r -> r.endsWith("/" + shard))) {
            overlaps.add(replica + " started " + shard + " while " + running);
          }
          running.add(replica + "/" + shard);
        }

        @Override
        public void stop(int shard) {
          running.remove(replica + "/" + shard);
        }
      };
    }

    long of(String replica) {
      return running.stream().filter(r -> r.startsWith(replica + "/")).count();
    }
  }

  private static ShardLeases replica(TestCluster cluster, Runs runs, String name, int shards) {
    ShardLeases leases = new ShardLeases(cluster.client(), cluster.namespace(), "leases", shards,
        name, runs.runner(name), runs.lost::incrementAndGet, Clock.systemUTC(),
        new SimpleMeterRegistry());
    leases.start();
    return leases;
  }

  @Test
  void replicasSplitTheShardsAndTakeOverFromOneThatLeavesOrDies(TestCluster cluster) {
    Runs runs = new Runs();
    ShardLeases a = replica(cluster, runs, "a", 4);
    ShardLeases b = null;
    ShardLeases c = null;
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> runs.of("a") == 4);
      b = replica(cluster, runs, "b", 4);
      await().atMost(Duration.ofSeconds(30)).until(() -> runs.of("a") == 2 && runs.of("b") == 2);
      c = replica(cluster, runs, "c", 4);
      // ceil(4 / 3) = 2: c takes what a or b gives back until each holds at most 2.
      await().atMost(Duration.ofSeconds(30)).until(() -> runs.of("c") >= 1
          && runs.of("a") <= 2 && runs.of("b") <= 2 && runs.running.size() == 4);

      c.close(); // graceful: its shards are free at once
      c = null;
      Instant left = Instant.now();
      await().atMost(Duration.ofSeconds(20)).until(() -> runs.running.size() == 4
          && runs.of("c") == 0);
      assertThat(Duration.between(left, Instant.now())).isLessThan(Duration.ofSeconds(8));

      b.abandon(); // dead: nothing given back, its Leases expire
      Set<String> bHeld = Set.copyOf(runs.running.stream().filter(r -> r.startsWith("b/"))
          .toList());
      bHeld.forEach(runs.running::remove);
      Instant died = Instant.now();
      await().atMost(Duration.ofSeconds(30)).until(() -> runs.of("a") == 4);
      assertThat(Duration.between(died, Instant.now())).isLessThan(Duration.ofSeconds(15));

      assertThat(runs.overlaps).isEmpty();
      assertThat(runs.lost).hasValue(0);
      Lease lease = cluster.client().resources(Lease.class).withName("leases-shard-0").get();
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("a");
    } finally {
      a.close();
      if (b != null) {
        b.abandon();
      }
      if (c != null) {
        c.close();
      }
    }
  }
}
