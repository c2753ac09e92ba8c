package dev.baton.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class UrgentFirstExecutorTest {

  /** A queued reconcile of one app, as the SDK would hand it over. */
  private record Reconcile(ResourceID app, List<String> ran) implements Runnable {
    @Override
    public void run() {
      ran.add(app.getName());
    }
  }

  private static ResourceID app(String name) {
    return new ResourceID(name, "ns");
  }

  @Test
  void anUrgentAppRunsBeforeTheQueueAndTheRestKeepTheirOrder() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    var pool = new UrgentFirstExecutor(1, r -> r instanceof Reconcile c ? c.app() : null);
    CountDownLatch release = new CountDownLatch(1);
    pool.execute(() -> awaitQuietly(release)); // holds the one thread while the queue fills
    pool.execute(new Reconcile(app("a"), ran));
    pool.execute(new Reconcile(app("b"), ran));
    pool.markUrgent(app("c"));
    pool.execute(new Reconcile(app("c"), ran)); // urgent when queued
    pool.execute(new Reconcile(app("d"), ran));
    pool.markUrgent(app("d")); // already queued: moves to the front, behind c
    release.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

    assertThat(ran).containsExactly("c", "d", "a", "b");
  }

  @Test
  void theMarkIsClearedWhenTheAppsReconcileStarts() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    var pool = new UrgentFirstExecutor(1, r -> r instanceof Reconcile c ? c.app() : null);
    pool.markUrgent(app("a"));
    pool.execute(new Reconcile(app("a"), ran));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ran.isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait(); // until the urgent reconcile has started (and cleared the mark)
    }
    CountDownLatch release = new CountDownLatch(1);
    pool.execute(() -> awaitQuietly(release));
    pool.execute(new Reconcile(app("b"), ran));
    pool.execute(new Reconcile(app("a"), ran)); // a later, ordinary reconcile of a
    release.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

    assertThat(ran).containsExactly("a", "b", "a");
  }

  @Test
  void theSdkVersionInUseHandsOverTasksWhoseAppCanBeRead() {
    assertThat(UrgentFirstExecutor.readsSdkReconciles())
        .as("JOSDK's EventProcessor$ReconcilerExecutor.resourceID: without it every reconcile "
            + "keeps FIFO order")
        .isTrue();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
