package dev.baton.testcluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;

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

  /** True when the operator under test authenticates as the chart's ServiceAccount. */
  public boolean operatorUsesChartIdentity() {
    return operatorConfig.getOauthToken() != null;
  }
}
