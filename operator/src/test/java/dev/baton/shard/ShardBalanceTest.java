package dev.baton.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardBalanceTest {

  /** The replicas are "a", "b", ... as many as {@code replicas}. */
  private static ShardBalance.View view(int shards, Map<Integer, String> holders, int replicas) {
    Set<String> names = new java.util.HashSet<>();
    for (int i = 0; i < replicas; i++) {
      names.add(String.valueOf((char) ('a' + i)));
    }
    return new ShardBalance.View(shards, holders, names);
  }

  @Test
  void aLoneReplicaTakesEveryShard() {
    var d = ShardBalance.decide("a", Set.of(), view(4, Map.of(), 1));
    assertThat(d.acquire()).containsExactly(0, 1, 2, 3);
    assertThat(d.release()).isEmpty();
  }

  @Test
  void twoReplicasTakeHalfEach() {
    var d = ShardBalance.decide("b", Set.of(), view(4, Map.of(0, "a", 1, "a"), 2));
    assertThat(d.acquire()).containsExactly(2, 3);
  }

  @Test
  void aReplicaOverItsShareGivesOneBackAtATime() {
    var d = ShardBalance.decide("a", Set.of(0, 1, 2, 3),
        view(4, Map.of(0, "a", 1, "a", 2, "a", 3, "a"), 2));
    assertThat(d.release()).containsExactly(3);
    assertThat(d.acquire()).isEmpty();
  }

  @Test
  void theSurvivorTakesTheShardOfAReplicaThatDied() {
    // b's Leases expired: its shard is no longer among the live holders, and b is not counted.
    var d = ShardBalance.decide("a", Set.of(0), view(2, Map.of(0, "a"), 1));
    assertThat(d.acquire()).containsExactly(1);
  }

  @Test
  void aLiveHoldersShardIsNeverTaken() {
    var d = ShardBalance.decide("a", Set.of(), view(2, Map.of(0, "b", 1, "c"), 3));
    assertThat(d.none()).isTrue();
  }

  @Test
  void aShardStillInItsOwnNameIsTakenBackAtOnce() {
    // A restarted container keeps its pod's name: its Lease is live and names it.
    var d = ShardBalance.decide("a", Set.of(), view(2, Map.of(0, "a", 1, "b"), 2));
    assertThat(d.acquire()).containsExactly(0);
  }

  @Test
  void aJoiningReplicaUnderTheFloorGetsShardsFromThoseOverIt() {
    // 4 shards, 3 replicas: between 1 and 2 each. c holds none, so a and b give one back each.
    var view = view(4, Map.of(0, "a", 1, "a", 2, "b", 3, "b"), 3);
    assertThat(ShardBalance.decide("a", Set.of(0, 1), view).release()).containsExactly(1);
    assertThat(ShardBalance.decide("b", Set.of(2, 3), view).release()).containsExactly(3);
    assertThat(ShardBalance.decide("c", Set.of(), view).none()).isTrue();
    // Once everyone is within the bounds, nothing moves.
    var settled = view(4, Map.of(0, "a", 1, "c", 2, "b", 3, "c"), 3);
    assertThat(ShardBalance.decide("a", Set.of(0), settled).none()).isTrue();
    assertThat(ShardBalance.decide("c", Set.of(1, 3), settled).none()).isTrue();
  }

  @Test
  void moreReplicasThanShardsLeavesStandbys() {
    assertThat(ShardBalance.fairShare(2, 3)).isEqualTo(1);
    var d = ShardBalance.decide("c", Set.of(), view(2, Map.of(0, "a", 1, "b"), 3));
    assertThat(d.none()).isTrue();
  }
}
