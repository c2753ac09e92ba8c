package dev.baton.observe;

import dev.baton.operator.BatonMetrics;
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
 * Kept per app, so a reconcile reads only its own app's; bounded per metric, so a run whose
 * status is never written (a stuck app) cannot grow it. Lost on a restart, which only means
 * those measurements are taken again.
 */
public final class MeasurementInbox {

  /** Landed measurements kept per metric of a run at most (oldest dropped). */
  static final int MAX_PER_METRIC = 120;

  private record App(String namespace, String name) {}

  /** One app's landed measurements, and how many ever landed per metric (for the race check). */
  private static final class Box {
    final Map<MeasurementPool.Key, List<Measured>> landed = new ConcurrentHashMap<>();
    final Map<MeasurementPool.Key, AtomicLong> counts = new ConcurrentHashMap<>();
  }

  private final Map<App, Box> apps = new ConcurrentHashMap<>();

  /** What a reconcile read: the measurements by run and metric, and how many had landed. */
  public record Taken(Map<RunKey, Map<String, List<Measured>>> byRun,
      Map<MeasurementPool.Key, List<Measured>> byKey, Map<MeasurementPool.Key, Long> counts) {}

  /** Records one measurement (a pool thread). */
  public void add(MeasurementPool.Key key, Measured m) {
    Box box = apps.computeIfAbsent(new App(key.namespace(), key.app()), a -> new Box());
    box.landed.compute(key, (k, list) -> {
      List<Measured> l = list == null ? new ArrayList<>() : new ArrayList<>(list);
      l.add(m);
      while (l.size() > MAX_PER_METRIC) {
        l.remove(0);
      }
      return List.copyOf(l);
    });
    box.counts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }

  /** The app's landed measurements, as one reconcile sees them. */
  public Taken take(String namespace, String app) {
    Map<RunKey, Map<String, List<Measured>>> byRun = new HashMap<>();
    Map<MeasurementPool.Key, List<Measured>> byKey = new HashMap<>();
    Map<MeasurementPool.Key, Long> seen = new HashMap<>();
    Box box = apps.get(new App(namespace, app));
    if (box != null) {
      box.landed.forEach((k, list) -> {
        byRun.computeIfAbsent(k.run(), r -> new HashMap<>()).put(k.metric(), list);
        byKey.put(k, list);
      });
      box.counts.forEach((k, n) -> seen.put(k, n.get()));
    }
    return new Taken(byRun, byKey, seen);
  }

  /**
   * Whether nothing landed for {@code key} since {@code taken}: a measurement the plan found
   * due is then still due (otherwise the landing's own reconcile decides again).
   */
  public boolean unchangedSince(Taken taken, MeasurementPool.Key key) {
    Box box = apps.get(new App(key.namespace(), key.app()));
    AtomicLong n = box == null ? null : box.counts.get(key);
    return (n == null ? 0L : n.get()) == taken.counts().getOrDefault(key, 0L);
  }

  /** Forgets what {@code taken} held of the runs in {@code runs} (status holds it now). */
  public void drain(Taken taken, Set<RunKey> runs) {
    taken.byKey().forEach((k, list) -> {
      if (!runs.contains(k.run())) {
        return;
      }
      Box box = apps.get(new App(k.namespace(), k.app()));
      if (box != null) {
        box.landed.computeIfPresent(k, (key, now) -> {
          List<Measured> rest = new ArrayList<>(now);
          rest.removeAll(list);
          return rest.isEmpty() ? null : List.copyOf(rest);
        });
      }
    });
  }

  /** Forgets the apps not in {@code existing} (deleted). */
  public void retainOnly(Set<BatonMetrics.AppKey> existing) {
    apps.keySet().removeIf(a -> !existing.contains(new BatonMetrics.AppKey(a.namespace(),
        a.name())));
  }
}
