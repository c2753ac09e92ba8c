package dev.baton.testcluster;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Helm chart's ServiceAccount as the operator's identity: installs the chart once for the run
 * and mints a token for its ServiceAccount through the TokenRequest API. Running the integration
 * suite with it proves that the chart's RBAC grants everything Baton does.
 */
final class ChartIdentity implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChartIdentity.class);
  static final String NAMESPACE = "baton-suite";
  static final String RELEASE = "baton-suite";

  private final KubernetesClient admin;
  private final Path kubeconfig;
  private final Config config;

  private ChartIdentity(KubernetesClient admin, Path kubeconfig, Config config) {
    this.admin = admin;
    this.kubeconfig = kubeconfig;
    this.config = config;
  }

  static boolean requested() {
    return "chart".equals(System.getProperty("baton.test.operatorIdentity"));
  }

  /** Installs the chart with an admin client of its own (the class clients close earlier). */
  static ChartIdentity install(Path kubeconfig) {
    KubernetesClient admin;
    try {
      admin = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(java.nio.file.Files.readString(kubeconfig))).build();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    admin.resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
        .build()).serverSideApply();
    TestCluster installer = new TestCluster(admin, NAMESPACE, kubeconfig, admin.getConfiguration());
    // The suite installs the CRD itself (InProcessOperator.installCrd); Helm 4 applies CRDs with
    // server-side apply and would conflict with that field manager.
    Tools.Result result = Tools.helm(installer, "upgrade", "--install", RELEASE, "helm/baton",
        "-n", NAMESPACE, "--skip-crds");
    if (result.exitCode() != 0) {
      throw new IllegalStateException("helm install of the chart failed: " + result.output());
    }
    TokenRequest token = admin.serviceAccounts().inNamespace(NAMESPACE).withName(RELEASE)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L)
            .endSpec().build());
    Config base = admin.getConfiguration();
    Config config = new ConfigBuilder(Config.empty())
        .withMasterUrl(base.getMasterUrl())
        .withCaCertData(base.getCaCertData())
        .withCaCertFile(base.getCaCertFile())
        .withOauthToken(token.getStatus().getToken())
        .build();
    LOG.info("The operator under test authenticates as system:serviceaccount:{}:{}", NAMESPACE,
        RELEASE);
    return new ChartIdentity(admin, kubeconfig, config);
  }

  Config config() {
    return config;
  }

  @Override
  public void close() {
    TestCluster installer = new TestCluster(admin, NAMESPACE, kubeconfig, admin.getConfiguration());
    Tools.helm(installer, "uninstall", RELEASE, "-n", NAMESPACE);
    admin.namespaces().withName(NAMESPACE).delete();
    admin.close();
  }
}
