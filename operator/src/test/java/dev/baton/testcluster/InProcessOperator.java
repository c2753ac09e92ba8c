package dev.baton.testcluster;

import dev.baton.operator.BatonMetrics;
import dev.baton.operator.Controllers;
import dev.baton.operator.UrgentFirstExecutor;
import dev.baton.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Baton's operator running inside the test JVM against the test cluster, watching one namespace.
 * The CRD is applied from {@code crds/} first, exactly as a user would install it.
 */
public final class InProcessOperator implements AutoCloseable {

  private final Operator operator;
  private final KubernetesClient client;

  private InProcessOperator(Operator operator, KubernetesClient client) {
    this.operator = operator;
    this.client = client;
  }

  /** Installs (or updates) the CRD and starts the operator for the cluster's namespace. */
  public static InProcessOperator start(TestCluster cluster) {
    installCrd(cluster.client());
    KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(cluster.operatorConfig()).build();
    // The pool main uses, so the ITs run reconciles the way production does.
    UrgentFirstExecutor reconciles = new UrgentFirstExecutor(4);
    Operator operator = new Operator(o -> o.withKubernetesClient(client)
        .withCloseClientOnStop(true).withExecutorService(reconciles));
    Controllers.register(operator, client, new OperatorSettings(
        new InetSocketAddress("127.0.0.1", 0), Set.of(cluster.namespace()), 4),
        new BatonMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()),
        reconciles);
    operator.start();
    return new InProcessOperator(operator, client);
  }

  /** Applies {@code crds/*.yml} with server-side apply and waits until they are established. */
  public static void installCrd(KubernetesClient client) {
    Path dir = ClusterProcess.repoRoot().resolve("crds");
    try (var files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml")).toList()) {
        CustomResourceDefinition crd = client.getKubernetesSerialization()
            .unmarshal(Files.readString(file), CustomResourceDefinition.class);
        client.resource(crd).fieldManager("baton-tests").forceConflicts().serverSideApply();
        awaitEstablished(client, crd.getMetadata().getName());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the API server serves a CRD. */
  public static void awaitEstablished(KubernetesClient client, String crdName) {
    client.apiextensions().v1().customResourceDefinitions().withName(crdName)
        .waitUntilCondition(c -> c != null && c.getStatus() != null
            && c.getStatus().getConditions() != null
            && c.getStatus().getConditions().stream().anyMatch(x ->
                "Established".equals(x.getType()) && "True".equals(x.getStatus())),
            60, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    operator.stop();
    client.close();
  }
}
