package dev.baton.chaos;

import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The long chaos run ({@code bench/chaos.sh}; not in the suite, whose Failsafe passes match
 * {@code *IT} only). Sizes: {@code -Dbaton.chaos.seed} (20), {@code -Dbaton.chaos.apps} (10),
 * {@code -Dbaton.chaos.rounds} (10), {@code -Dbaton.chaos.minGapMs} (1000),
 * {@code -Dbaton.chaos.maxGapMs} (5000), {@code -Dbaton.chaos.apiServerRestarts} (3),
 * {@code -Dbaton.chaos.etcdRestarts} (3). Prints the figures and appends them to
 * {@code target/chaos-bench.txt}; asserts nothing, so a run with findings still reports them.
 */
@ExtendWith(TestClusterExtension.class)
class ChaosBench {

  @Test
  void chaos(TestCluster cluster) throws InterruptedException, IOException {
    ChaosRun.Settings settings = new ChaosRun.Settings(Long.getLong("baton.chaos.seed", 20),
        Integer.getInteger("baton.chaos.apps", 10), Integer.getInteger("baton.chaos.rounds", 10),
        Duration.ofMillis(Long.getLong("baton.chaos.minGapMs", 1000)),
        Duration.ofMillis(Long.getLong("baton.chaos.maxGapMs", 5000)),
        Integer.getInteger("baton.chaos.apiServerRestarts", 3),
        Integer.getInteger("baton.chaos.etcdRestarts", 3));
    ChaosRun.Figures f = new ChaosRun(cluster, settings).run();
    StringBuilder out = new StringBuilder(f.summary()).append('\n');
    f.failures().forEach(x -> out.append("  failed request: ").append(x).append('\n'));
    f.dips().forEach(x -> out.append("  capacity dip: ").append(x).append('\n'));
    f.notHealthy().forEach(x -> out.append("  not healthy: ").append(x).append('\n'));
    System.out.print(out);
    Files.writeString(Path.of("target", "chaos-bench.txt"), out, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
