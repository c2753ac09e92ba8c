package dev.baton.operator;

import dev.baton.analysis.Measured;
import dev.baton.analysis.RunKey;
import dev.baton.analysis.pool.MeasurementPool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The measurements the pool has landed and status does not hold yet (counters are written at
 * most once a minute): the next reconcile reads them with its snapshot, the planner folds them
 * into their runs, and once status holds them (or their run is over) the reconciler drains them.
 * Bounded per metric: a run whose status is never written (a stuck app) cannot grow it.
 * Lost on a restart, which only means those measurements are taken again.
 */
final class MeasurementInbox {

  /** Landed measurements kept per metric of a run at most (oldest dropped). */
  static final int MAX_PER_METRIC = 120;

  private final Map<MeasurementPool.Key, List<Measured>> landed = new ConcurrentHashMap<>();
  private final Map<MeasurementPool.Key, AtomicLong> counts = new ConcurrentHashMap<>();

  /** What a reconcile read: the measurements by run and metric, and how many had landed. */
  record Taken(Map<RunKey, Map<String, List<Measured>>> byRun,
      Map<MeasurementPool.Key, List<Measured>> byKey, Map<MeasurementPool.Key, Long> counts) {}

  /** Records one measurement (a pool thread). */
  void add(MeasurementPool.Key key, Measured m) {
    landed.compute(key, (k, list) -> {
      List<Measured> l = list == null ? new ArrayList<>() : new ArrayList<>(list);
      l.add(m);
      while (l.size() > MAX_PER_METRIC) {
        l.remove(0);
      }
      return List.copyOf(l);
    });
    counts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }

  /** The app's landed measurements, as one reconcile sees them. */
  Taken take(String namespace, String app) {
    Map<RunKey, Map<String, List<Measured>>> byRun = new HashMap<>();
    Map<MeasurementPool.Key, List<Measured>> byKey = new HashMap<>();
    Map<MeasurementPool.Key, Long> seen = new HashMap<>();
    landed.forEach((k, list) -> {
      if (k.namespace().equals(namespace) && k.app().equals(app)) {
        byRun.computeIfAbsent(k.run(), r -> new HashMap<>()).put(k.metric(), list);
        byKey.put(k, list);
      }
    });
    counts.forEach((k, n) -> {
      if (k.namespace().equals(namespace) && k.app().equals(app)) {
        seen.put(k, n.get());
      }
    });
    return new Taken(byRun, byKey, seen);
  }

  /**
   * Whether nothing landed for {@code key} since {@code taken}: a measurement the plan found
   * due is then still due (otherwise the landing's own reconcile decides again).
   */
  boolean unchangedSince(Taken taken, MeasurementPool.Key key) {
    AtomicLong n = counts.get(key);
    return (n == null ? 0L : n.get()) == taken.counts().getOrDefault(key, 0L);
  }

  /** Forgets what {@code taken} held of the runs in {@code runs} (status holds it now). */
  void drain(Taken taken, Set<RunKey> runs) {
    taken.byKey().forEach((k, list) -> {
      if (runs.contains(k.run())) {
        landed.computeIfPresent(k, (key, now) -> {
          List<Measured> rest = new ArrayList<>(now);
          rest.removeAll(list);
          return rest.isEmpty() ? null : List.copyOf(rest);
        });
      }
    });
  }

  /** Forgets an app entirely (deleted). */
  void forget(String namespace, String app) {
    landed.keySet().removeIf(k -> k.namespace().equals(namespace) && k.app().equals(app));
    counts.keySet().removeIf(k -> k.namespace().equals(namespace) && k.app().equals(app));
  }
}
