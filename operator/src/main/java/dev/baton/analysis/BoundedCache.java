package dev.baton.analysis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A small least-recently-used map of a fixed size, safe for the reconcile threads that share it.
 * The values are pure functions of their keys (a compiled condition, a resolved analysis), so a
 * value computed twice by two threads at once is only wasted work, never a wrong answer; the
 * computation runs outside the lock so a slow one does not hold up the others.
 */
final class BoundedCache<K, V> {

  private final Map<K, V> entries;

  BoundedCache(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
      }
    };
  }

  /** The value of {@code key}, computed (and kept) when absent; a failed compute keeps none. */
  V get(K key, Function<K, V> compute) {
    synchronized (entries) {
      V v = entries.get(key);
      if (v != null) {
        return v;
      }
    }
    V computed = compute.apply(key);
    synchronized (entries) {
      V raced = entries.putIfAbsent(key, computed);
      return raced != null ? raced : computed;
    }
  }

  /** How many entries it holds. */
  int size() {
    synchronized (entries) {
      return entries.size();
    }
  }
}
