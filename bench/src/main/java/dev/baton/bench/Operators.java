package dev.baton.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operator processes of one run: one, or with {@code --shards K} K replicas that split the
 * apps into K shards (BATON_SHARDS, Leases in {@code leaseNamespace}). Usage is combined: CPU,
 * reconciles and updates summed over the replicas, RSS and heap the largest replica's (the
 * figure a per-replica memory limit must fit), each replica's RSS beside it.
 */
final class Operators implements AutoCloseable {

  private final List<OperatorProcess> replicas;

  private Operators(List<OperatorProcess> replicas) {
    this.replicas = replicas;
  }

  static Operators start(int shards, Path jar, String kubeconfig, int port, List<String> javaOptions,
      Path workDir, String leaseNamespace) throws IOException {
    List<OperatorProcess> started = new ArrayList<>();
    if (shards <= 1) {
      started.add(OperatorProcess.start(jar, kubeconfig, port, javaOptions,
          workDir.resolve("operator.log"), Map.of()));
    } else {
      for (int i = 0; i < shards; i++) {
        started.add(OperatorProcess.start(jar, kubeconfig, port + i, javaOptions,
            workDir.resolve("operator-" + i + ".log"), Map.of("BATON_SHARDS",
                Integer.toString(shards), "BATON_LEADER_ELECTION_NAMESPACE", leaseNamespace,
                "BATON_LEADER_ELECTION_LEASE", "bench", "BATON_POD_NAME", "bench-replica-" + i)));
      }
    }
    return new Operators(started);
  }

  boolean alive() {
    return replicas.stream().allMatch(OperatorProcess::alive);
  }

  /** The sum of a counter over every replica's scrape. */
  double sum(String prefix) throws IOException {
    double total = 0;
    for (OperatorProcess replica : replicas) {
      total += OperatorProcess.sum(replica.scrape(), prefix);
    }
    return total;
  }

  /** Every replica's scrape, one after the other (a histogram's buckets then add up). */
  List<String> scrapes() throws IOException {
    List<String> scrapes = new ArrayList<>();
    for (OperatorProcess replica : replicas) {
      scrapes.add(replica.scrape());
    }
    return scrapes;
  }

  OperatorProcess.Usage usage() throws IOException {
    double rss = 0;
    double cpu = 0;
    double heap = 0;
    double reconciles = 0;
    double passed = 0;
    double skipped = 0;
    Map<String, Double> byKind = new TreeMap<>();
    for (OperatorProcess replica : replicas) {
      OperatorProcess.Usage u = replica.usage();
      rss = Math.max(rss, u.rssMiB());
      heap = Math.max(heap, u.heapUsedMiB());
      cpu += u.cpuSeconds();
      reconciles += u.reconciles();
      passed += u.updatesReconciled();
      skipped += u.updatesSkipped();
      u.updatesByKind().forEach((k, v) -> byKind.merge(k, v, Double::sum));
    }
    return new OperatorProcess.Usage(rss, cpu, heap, reconciles, passed, skipped, byKind);
  }

  /** Each replica's RSS now, MiB. */
  List<Double> replicaRss() throws IOException {
    List<Double> rss = new ArrayList<>();
    for (OperatorProcess replica : replicas) {
      rss.add(Math.round(replica.usage().rssMiB() * 10) / 10.0);
    }
    return rss;
  }

  @Override
  public void close() throws InterruptedException {
    for (OperatorProcess replica : replicas) {
      replica.close();
    }
  }
}
