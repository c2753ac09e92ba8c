package dev.baton.shard;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardAssignmentTest {

  @Test
  void oneShardOwnsEverything() {
    assertThat(ShardAssignment.shardOf("shop", "api", Map.of(ShardAssignment.LABEL, "3"), 1))
        .isZero();
  }

  @Test
  void aChosenShardWinsOverTheHash() {
    assertThat(ShardAssignment.shardOf("shop", "api", Map.of(ShardAssignment.LABEL, "2"), 4))
        .isEqualTo(2);
  }

  @Test
  void anUnusableLabelFallsBackToTheHash() {
    int hashed = ShardAssignment.hashed("shop", "api", 4);
    for (String value : new String[] {"4", "-1", "two", "", "1.0", "9999999999"}) {
      assertThat(ShardAssignment.shardOf("shop", "api", Map.of(ShardAssignment.LABEL, value), 4))
          .as(value).isEqualTo(hashed);
    }
  }

  @Test
  void theHashIsStableAcrossReleases() {
    // Fixed values: a change here would move live apps between shards on an upgrade.
    assertThat(IntStream.range(0, 8).map(i -> ShardAssignment.hashed("ns", "app-" + i, 4))
        .toArray()).containsExactly(3, 1, 2, 1, 3, 0, 3, 2);
  }

  @Test
  void theHashSpreadsManyAppsEvenly() {
    int[] counts = new int[4];
    for (int i = 0; i < 10_000; i++) {
      counts[ShardAssignment.hashed("team-" + (i % 37), "app-" + i, 4)]++;
    }
    for (int count : counts) {
      assertThat(count).isBetween(2_300, 2_700);
    }
  }
}
