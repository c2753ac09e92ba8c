package dev.baton.shard;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The apps one reconciler instance is responsible for: shard {@code shard} of {@code shards}.
 * With one shard (the default) it owns every app and changes nothing: no label on the children,
 * the same label selectors as without sharding.
 *
 * @param shard this instance's shard, in {@code [0, shards)}
 * @param shards how many shards the apps are split into
 */
public record ShardScope(int shard, int shards) {

  public ShardScope {
    if (shards < 1 || shard < 0 || shard >= shards) {
      throw new IllegalArgumentException("shard " + shard + " of " + shards);
    }
  }

  /** The whole: one shard that owns every app. */
  public static ShardScope whole() {
    return new ShardScope(0, 1);
  }

  /** Whether the apps are split at all. */
  public boolean sharded() {
    return shards > 1;
  }

  /** Whether this scope reconciles the app. */
  public boolean owns(HasMetadata app) {
    return !sharded() || ShardAssignment.shardOf(app.getMetadata().getNamespace(),
        app.getMetadata().getName(), app.getMetadata().getLabels(), shards) == shard;
  }

  /**
   * The label selector of this scope's children: {@code base} as it is without sharding, and
   * with the shard label added when sharded (Baton labels each child with its app's shard).
   */
  public String childSelector(String base) {
    return sharded() ? base + "," + ShardAssignment.LABEL + "=" + shard : base;
  }

  /** The value of {@link ShardAssignment#LABEL} on this scope's children. */
  public String label() {
    return Integer.toString(shard);
  }
}
