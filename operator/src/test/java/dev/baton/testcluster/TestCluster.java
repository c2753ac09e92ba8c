package dev.baton.testcluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;

/**
 * What an integration test gets from {@link TestClusterExtension}: a client for the test cluster
 * and a namespace of its own, removed after the test class.
 *
 * @param client a client whose default namespace is {@code namespace}
 * @param namespace the test class' namespace
 * @param kubeconfig the kubeconfig file of the cluster (for child processes such as the operator)
 */
public record TestCluster(KubernetesClient client, String namespace, Path kubeconfig) {}
