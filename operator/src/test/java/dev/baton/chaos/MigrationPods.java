package dev.baton.chaos;

import dev.baton.planning.MigrationJobs;
import dev.baton.testcluster.KwokBehavior;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays the migration Jobs' pods of a chaos run and keeps the ledger of the Jobs.
 *
 * <p>The apps' migrations carry KWOK's {@code never-ready} behaviour, so a migration pod runs
 * until this class ends it: a moment after it starts it is finished (relabelled, and KWOK
 * completes it), or, while faults are on, deleted instead (a kill of a running migration: the
 * Job controller counts a failure and starts another pod after its back-off). A seeded draw,
 * made in the order the pods start, picks which; at most the first pod of each Job is killed, so
 * a Job's back-off limit is never reached by the harness alone.
 *
 * <p>A watch on the migration Jobs records every UID each Job name had: a Job Baton created twice
 * (deleted and made again, or made again after a failover) shows two.
 */
final class MigrationPods implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(
      MigrationPods.class);
  /** What the finishing relabel sets: any value KWOK's pod-complete Stage does not exclude. */
  private static final String FINISH = "finish";
  /** A call refused while the API server or etcd is away is tried again, for this long. */
  private static final Duration RETRY_FOR = Duration.ofSeconds(120);

  private final KubernetesClient client;
  private final SplittableRandom random;
  private final int killPercent;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
      r -> new Thread(r, "chaos-migrations"));
  private final Set<String> decided = ConcurrentHashMap.newKeySet();
  private final Set<String> jobsKilledOnce = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<String>> uidsByJob = new ConcurrentHashMap<>();
  private final Map<String, String> attemptByJob = new ConcurrentHashMap<>();
  private final AtomicInteger kills = new AtomicInteger();
  private final AtomicInteger finished = new AtomicInteger();
  private final SharedIndexInformer<Job> jobs;
  private final SharedIndexInformer<Pod> pods;
  private volatile boolean faults;

  /**
   * @param random the run's seeded draws for the pods (split off the run's own)
   * @param killPercent the chance, in percent, that the first pod of a Job is killed
   */
  MigrationPods(KubernetesClient client, SplittableRandom random, int killPercent) {
    this.client = client;
    this.random = random;
    this.killPercent = killPercent;
    this.jobs = client.batch().v1().jobs().withLabel(MigrationJobs.PHASE)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Job job) {
            record(job);
          }

          @Override
          public void onUpdate(Job before, Job after) {
            record(after);
          }

          @Override
          public void onDelete(Job job, boolean unknown) {}
        });
    this.pods = client.pods().withLabel(MigrationJobs.PHASE).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        started(pod);
      }

      @Override
      public void onUpdate(Pod before, Pod after) {
        started(after);
      }

      @Override
      public void onDelete(Pod pod, boolean unknown) {}
    });
  }

  /** The pod labels that make a migration pod run until this class ends it. */
  static Map<String, String> podLabels() {
    return Map.of(KwokBehavior.LABEL, KwokBehavior.NEVER_READY);
  }

  /** Kills may happen from now on. */
  void faultsOn() {
    faults = true;
  }

  /** No more kills: every migration pod from now on is finished. */
  void faultsOff() {
    faults = false;
  }

  int kills() {
    return kills.get();
  }

  /** Migration Job names seen, each with the UIDs it had. */
  Map<String, Set<String>> jobs() {
    return new TreeMap<>(uidsByJob);
  }

  /** Jobs of a second or later attempt (Baton retries a migration only after it failed). */
  List<String> retries() {
    return attemptByJob.entrySet().stream().filter(e -> !"1".equals(e.getValue()))
        .map(Map.Entry::getKey).sorted().toList();
  }

  private void record(Job job) {
    uidsByJob.computeIfAbsent(job.getMetadata().getName(), k -> ConcurrentHashMap.newKeySet())
        .add(job.getMetadata().getUid());
    String attempt = job.getMetadata().getLabels() == null ? null
        : job.getMetadata().getLabels().get(MigrationJobs.ATTEMPT);
    attemptByJob.put(job.getMetadata().getName(), attempt == null ? "1" : attempt);
  }

  /** A migration pod seen Running for the first time: decide, then act a moment later. */
  private void started(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null
        || !"Running".equals(pod.getStatus().getPhase())
        || !KwokBehavior.NEVER_READY.equals(pod.getMetadata().getLabels().get(KwokBehavior.LABEL))
        || !decided.add(pod.getMetadata().getUid())) {
      return;
    }
    String job = pod.getMetadata().getOwnerReferences().stream()
        .filter(o -> "Job".equals(o.getKind())).map(OwnerReference::getName).findFirst()
        .orElse("?");
    // Both draws every time, so the sequence does not depend on which pods faults saw.
    boolean kill = random.nextInt(100) < killPercent;
    long after = 300 + random.nextInt(1200);
    boolean killing = kill && faults && jobsKilledOnce.add(job);
    String name = pod.getMetadata().getName();
    Instant until = Instant.now().plus(RETRY_FOR);
    timer.schedule(() -> act(name, job, killing, until), after, TimeUnit.MILLISECONDS);
  }

  private void act(String pod, String job, boolean kill, Instant until) {
    try {
      if (kill) {
        client.pods().withName(pod).withGracePeriod(0).delete();
        kills.incrementAndGet();
        LOG.info("chaos: deleted the running pod {} of migration Job {}", pod, job);
      } else {
        client.pods().withName(pod).edit(p -> {
          p.getMetadata().getLabels().put(KwokBehavior.LABEL, FINISH);
          return p;
        });
        finished.incrementAndGet();
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return; // gone already (its Job ended it)
      }
      if (Instant.now().isBefore(until)) {
        // The API server or etcd is away for a moment: the migration goes on running meanwhile.
        timer.schedule(() -> act(pod, job, kill, until), 500, TimeUnit.MILLISECONDS);
      } else {
        LOG.warn("chaos: could not end migration pod {}: {}", pod, e.toString());
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    pods.close();
    jobs.close();
  }
}
