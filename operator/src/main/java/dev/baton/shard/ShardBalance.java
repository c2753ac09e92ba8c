package dev.baton.shard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides, from one look at the shard Leases, which shards this replica takes and which it gives
 * back. Pure: the Leases are read and written by {@link ShardLeases}.
 *
 * <p>The rule: with {@code S} shards over {@code R} live replicas, each replica holds between
 * {@code floor(S / R)} and {@code ceil(S / R)}. A replica under the ceiling takes free shards (no
 * holder, or a holder whose Lease expired); one over the ceiling, or over the floor while another
 * live replica is under it, gives one back per look. So a replica that joins (or comes back) gets
 * shards without anyone being killed, one shard at a time is between owners, and once every
 * replica is within the bounds nothing moves.
 */
public final class ShardBalance {

  private ShardBalance() {}

  /**
   * What the Leases look like to this replica.
   *
   * @param shards how many shards there are
   * @param holders each shard's live holder (a shard with no holder or an expired Lease is absent)
   * @param replicas the replicas whose membership Lease is live, this one included
   */
  public record View(int shards, Map<Integer, String> holders, Set<String> replicas) {}

  /**
   * @param acquire the free shards to take, lowest first
   * @param release the shards to give back
   */
  public record Decision(List<Integer> acquire, List<Integer> release) {
    public boolean none() {
      return acquire.isEmpty() && release.isEmpty();
    }
  }

  /** The most shards a replica should hold: {@code ceil(shards / replicas)}. */
  public static int fairShare(int shards, int replicas) {
    int r = Math.max(1, replicas);
    return (shards + r - 1) / r;
  }

  /** What {@code me}, holding {@code held}, should do now. */
  public static Decision decide(String me, Set<Integer> held, View view) {
    Set<String> replicas = new java.util.HashSet<>(view.replicas());
    replicas.add(me);
    int ceiling = fairShare(view.shards(), replicas.size());
    int floor = view.shards() / replicas.size();
    Map<String, Integer> counts = new java.util.HashMap<>();
    replicas.forEach(r -> counts.put(r, 0));
    view.holders().forEach((shard, holder) -> counts.merge(holder, 1, Integer::sum));
    counts.put(me, held.size());
    boolean someoneShort = counts.entrySet().stream()
        .anyMatch(e -> !e.getKey().equals(me) && replicas.contains(e.getKey())
            && e.getValue() < floor);
    List<Integer> acquire = new ArrayList<>();
    List<Integer> release = new ArrayList<>();
    if (held.size() > ceiling || (held.size() > floor && someoneShort)) {
      // The highest: replicas take the lowest free shard first, so ownership settles.
      release.add(new TreeSet<>(held).last());
    } else {
      for (int shard = 0; shard < view.shards() && held.size() + acquire.size() < ceiling;
          shard++) {
        String holder = view.holders().get(shard);
        // Its own name on a live Lease it does not run: this replica's previous life (a pod
        // keeps its name when its container restarts). Taking it back needs no wait.
        if (!held.contains(shard) && (holder == null || holder.equals(me))) {
          acquire.add(shard);
        }
      }
    }
    return new Decision(acquire, release);
  }
}
