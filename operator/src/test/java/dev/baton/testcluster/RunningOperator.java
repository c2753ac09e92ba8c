package dev.baton.testcluster;

/**
 * The operator {@link WithOperator} runs for a test class; a test that takes it as a parameter may
 * restart it, as a restart of the operator's pod would.
 */
public final class RunningOperator implements AutoCloseable {

  private final TestCluster cluster;
  private InProcessOperator current;

  RunningOperator(TestCluster cluster) {
    this.cluster = cluster;
    this.current = InProcessOperator.start(cluster);
  }

  /** Stops the operator and starts a new one, which knows only what the cluster holds. */
  public void restart() {
    current.close();
    current = InProcessOperator.start(cluster);
  }

  @Override
  public void close() {
    current.close();
  }
}
