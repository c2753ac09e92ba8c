package dev.baton.shard;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Which shard an app belongs to: the value of its {@link #LABEL} label when the user chose one
 * (an integer in {@code [0, shards)}), otherwise a stable hash of {@code namespace/name}. A pure
 * function of the BatonApp, so every replica computes the same answer without asking anyone.
 */
public final class ShardAssignment {

  /** The label a user sets on a BatonApp to pin it to a shard; Baton copies it onto children. */
  public static final String LABEL = "baton.dev/shard";

  private ShardAssignment() {}

  /**
   * The app's shard.
   *
   * @param labels the BatonApp's labels (may be null)
   * @param shards how many shards there are (at least 1)
   */
  public static int shardOf(String namespace, String name, Map<String, String> labels,
      int shards) {
    if (shards <= 1) {
      return 0;
    }
    OptionalInt chosen = chosen(labels == null ? null : labels.get(LABEL), shards);
    return chosen.isPresent() ? chosen.getAsInt() : hashed(namespace, name, shards);
  }

  /**
   * The shard a label value names, or empty when it names none (absent, not an integer, or out
   * of range). An unusable value falls back to the hash rather than stopping the app: it keeps
   * being reconciled, by a shard every replica agrees on.
   */
  public static OptionalInt chosen(String value, int shards) {
    if (value == null || value.isEmpty() || value.length() > 9 || !value.chars()
        .allMatch(Character::isDigit)) {
      return OptionalInt.empty();
    }
    int shard = Integer.parseInt(value);
    return shard < shards ? OptionalInt.of(shard) : OptionalInt.empty();
  }

  /**
   * FNV-1a (32 bit) of {@code namespace/name} in UTF-8, mixed by MurmurHash3's finalizer,
   * modulo {@code shards}: stable across processes, JVMs and releases (unlike
   * {@link String#hashCode()}, whose use here would be an accident of the implementation). The
   * finalizer matters: FNV's low bits follow the last byte, so {@code app-1, app-2, ...} would
   * take the shards in turn rather than at random.
   */
  public static int hashed(String namespace, String name, int shards) {
    int hash = 0x811c9dc5;
    for (byte b : (namespace + "/" + name).getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    hash ^= hash >>> 16;
    hash *= 0x85ebca6b;
    hash ^= hash >>> 13;
    hash *= 0xc2b2ae35;
    hash ^= hash >>> 16;
    return Integer.remainderUnsigned(hash, shards);
  }
}
