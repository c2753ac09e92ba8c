package dev.baton.operator;

import dev.baton.observe.EventFilters;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.lang.reflect.Field;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconcile thread pool, handed to the Java Operator SDK in place of its FIFO one: a reconcile
 * of an app marked urgent runs before every queued reconcile of other apps; the rest keep their
 * order.
 *
 * <p>Why: when a thousand apps roll out at once, each app's rollout takes a dozen reconciles, and
 * the one that switches traffic (its new pods just became ready endpoints) used to wait behind
 * the whole queue, for seconds, while the new pods were ready and idle. The informers' update
 * filters mark an app urgent on the events that can open its promotion gate
 * ({@link EventFilters}); the mark is cleared when that app's reconcile starts, so an event during
 * the reconcile marks it again.
 *
 * <p>The SDK (5.2) has no queue order of its own and hands the pool a private runnable type; the
 * app it reconciles is read from that runnable's {@code resourceID} field. Should a later SDK
 * rename the field, every reconcile simply keeps FIFO order (logged once).
 */
public final class UrgentFirstExecutor extends ThreadPoolExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(UrgentFirstExecutor.class);

  private final Set<ResourceID> urgent = ConcurrentHashMap.newKeySet();
  /** The reconcile of each app that waits in the queue, if one does. */
  private final ConcurrentHashMap<ResourceID, Ranked> waiting = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final Function<Runnable, ResourceID> appOf;

  /** A pool of {@code threads} reconcile threads (daemons, named baton-reconcile-N). */
  public UrgentFirstExecutor(int threads) {
    this(threads, UrgentFirstExecutor::sdkReconcileApp);
  }

  /** As above, reading the app of a queued task with {@code appOf} (null: none). */
  UrgentFirstExecutor(int threads, Function<Runnable, ResourceID> appOf) {
    super(threads, threads, 0, TimeUnit.MILLISECONDS,
        new PriorityBlockingQueue<>(64, Comparator.comparing(r -> (Ranked) r)), daemons());
    this.appOf = appOf;
    // Every thread exists before anything queues, so markUrgent may put a task back in the queue.
    prestartAllCoreThreads();
  }

  /**
   * Marks an app's next reconcile as urgent: the one waiting in the queue moves to the front, or
   * else the next one queued goes there.
   */
  public void markUrgent(ResourceID app) {
    urgent.add(app);
    Ranked queued = waiting.get(app);
    // The SDK queues at most one reconcile per app; events meanwhile fold into it. If a thread
    // takes it first, remove fails and nothing is left to move.
    if (queued != null && !queued.urgentWhenQueued && getQueue().remove(queued)) {
      Ranked moved = new Ranked(queued.command, app, true, queued.order);
      waiting.put(app, moved);
      getQueue().offer(moved);
    }
  }

  @Override
  public void execute(Runnable command) {
    ResourceID app = appOf.apply(command);
    Ranked ranked = new Ranked(command, app, app != null && urgent.contains(app),
        sequence.getAndIncrement());
    if (app != null) {
      waiting.put(app, ranked);
    }
    super.execute(ranked);
  }

  /** How many reconciles wait for a thread (for tests and metrics). */
  int queued() {
    return getQueue().size();
  }

  /** True when the SDK's reconcile tasks can be read (the field exists in this SDK version). */
  static boolean readsSdkReconciles() {
    return SDK_RESOURCE_ID != null;
  }

  private static ResourceID sdkReconcileApp(Runnable command) {
    if (SDK_RESOURCE_ID == null || !SDK_RESOURCE_ID.getDeclaringClass().isInstance(command)) {
      return null;
    }
    try {
      return (ResourceID) SDK_RESOURCE_ID.get(command);
    } catch (IllegalAccessException | ClassCastException e) {
      return null;
    }
  }

  private static final Field SDK_RESOURCE_ID = sdkResourceIdField();

  private static Field sdkResourceIdField() {
    try {
      Class<?> type = Class.forName(
          "io.javaoperatorsdk.operator.processing.event.EventProcessor$ReconcilerExecutor");
      Field field = type.getDeclaredField("resourceID");
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn("Reconciles keep FIFO order: cannot read the app of a queued reconcile ({})",
          e.toString());
      return null;
    }
  }

  private static java.util.concurrent.ThreadFactory daemons() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "baton-reconcile-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** A queued reconcile: urgent ones first, then in the order they came. */
  private final class Ranked implements Runnable, Comparable<Ranked> {
    private final Runnable command;
    private final ResourceID app;
    private final boolean urgentWhenQueued;
    private final long order;

    Ranked(Runnable command, ResourceID app, boolean urgentWhenQueued, long order) {
      this.command = command;
      this.app = app;
      this.urgentWhenQueued = urgentWhenQueued;
      this.order = order;
    }

    @Override
    public void run() {
      if (app != null) {
        waiting.remove(app, this);
        urgent.remove(app);
      }
      command.run();
    }

    @Override
    public int compareTo(Ranked other) {
      if (urgentWhenQueued != other.urgentWhenQueued) {
        return urgentWhenQueued ? -1 : 1;
      }
      return Long.compare(order, other.order);
    }
  }
}
