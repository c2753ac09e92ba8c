package dev.baton.testcluster;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * What an integration test gets from {@link TestClusterExtension}: a client for the test cluster
 * and a namespace of its own, removed after the test class.
 *
 * @param client an admin client whose default namespace is {@code namespace}
 * @param namespace the test class' namespace
 * @param kubeconfig the admin kubeconfig file of the cluster
 * @param operatorConfig how the operator under test connects: as admin, or, when the suite runs
 *     with {@code -Dbaton.test.operatorIdentity=chart}, as the Helm chart's ServiceAccount
 */
public record TestCluster(KubernetesClient client, String namespace, Path kubeconfig,
    Config operatorConfig) {

  /** The API server, for {@link #restart}. */
  public static final String KUBE_APISERVER = "kube-apiserver";
  /** The API server's store, for {@link #restart}. */
  public static final String ETCD = "etcd";

  /**
   * True when this is the local test cluster of {@code hack/cluster.sh}, whose components
   * {@link #restart} can stop and start; false on a cluster named by {@code KUBECONFIG}.
   */
  public boolean canRestartComponents() {
    String external = System.getenv("KUBECONFIG");
    return external == null || external.isBlank();
  }

  /**
   * Kills one control-plane component ({@link #KUBE_APISERVER} or {@link #ETCD}) with SIGKILL and
   * starts it again ({@code hack/cluster.sh restart}, through kwokctl, which runs each component
   * as a process), then waits until the API server answers {@code /readyz} with {@code ok}: its
   * checks include etcd's, so a restarted etcd is healthy again too.
   *
   * @param timeout how long the component has to be healthy again
   * @return the time from the kill to ready
   */
  public Duration restart(String component, Duration timeout) {
    Instant start = Instant.now();
    ClusterProcess.run("restart", component);
    await().atMost(timeout).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> "ok".equals(client.raw("/readyz")));
    return Duration.between(start, Instant.now());
  }

  /** True when the operator under test authenticates as the chart's ServiceAccount. */
  public boolean operatorUsesChartIdentity() {
    return operatorConfig.getOauthToken() != null;
  }
}
