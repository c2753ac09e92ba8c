package dev.baton.testcluster;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives an integration test class a {@link TestCluster}: a client for the run's one cluster and a
 * namespace of the class' own, deleted after the class. Use with
 * {@code @ExtendWith(TestClusterExtension.class)} and a {@code TestCluster} parameter.
 */
public final class TestClusterExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(TestClusterExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    SharedCluster shared = context.getRoot().getStore(STORE)
        .getOrComputeIfAbsent(SharedCluster.class, k -> SharedCluster.connect(), SharedCluster.class);
    String namespace = namespaceFor(context.getRequiredTestClass());
    KubernetesClient client = clientFor(shared, namespace);
    client.namespaces().resource(new NamespaceBuilder()
        .withNewMetadata().withName(namespace).addToLabels("baton.dev/test", "true").endMetadata()
        .build()).create();
    var operatorConfig = ChartIdentity.requested()
        ? context.getRoot().getStore(STORE).getOrComputeIfAbsent(ChartIdentity.class,
            k -> ChartIdentity.install(shared.kubeconfig()), ChartIdentity.class).config()
        : client.getConfiguration();
    context.getStore(STORE).put(ClassNamespace.class, new ClassNamespace(
        new TestCluster(client, namespace, shared.kubeconfig(), operatorConfig)));
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return clusterOf(context);
  }

  /** The test class' cluster, for other extensions registered after this one. */
  static TestCluster clusterOf(ExtensionContext context) {
    ClassNamespace ns = context.getStore(STORE).get(ClassNamespace.class, ClassNamespace.class);
    if (ns == null) {
      throw new IllegalStateException("TestCluster is only available once beforeAll ran");
    }
    return ns.cluster();
  }

  private static KubernetesClient clientFor(SharedCluster shared, String namespace) {
    try {
      Config config = Config.fromKubeconfig(Files.readString(shared.kubeconfig()));
      config.setNamespace(namespace);
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String namespaceFor(Class<?> testClass) {
    String base = testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    if (base.length() > 40) {
      base = base.substring(0, 40);
    }
    return base + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
  }

  /** Deletes the class' namespace when JUnit closes the class' store. */
  private record ClassNamespace(TestCluster cluster) implements AutoCloseable {
    @Override
    public void close() {
      if (!"true".equals(System.getenv("BATON_KEEP_NAMESPACES"))) {
        cluster.client().namespaces().withName(cluster.namespace()).delete();
      }
      cluster.client().close();
    }
  }
}
