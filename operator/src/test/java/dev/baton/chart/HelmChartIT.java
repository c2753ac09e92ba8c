package dev.baton.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import dev.baton.testcluster.Tools;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Helm chart, with the Helm the harness builds: lint, templates validated by the API server
 * (server-side dry-run), install, upgrade and uninstall, and least-privilege RBAC.
 */
@ExtendWith(TestClusterExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelmChartIT {

  private static final String CHART = "helm/baton";

  private static String ok(Tools.Result result) {
    assertThat(result.exitCode()).as(result.output()).isZero();
    return result.output();
  }

  @Test
  @Order(1)
  void theChartLints(TestCluster cluster) {
    ok(Tools.helm(cluster, "lint", CHART, "--strict"));
  }

  @Test
  @Order(2)
  void templatesWithDefaultAndOtherValuesPassAServerSideDryRun(TestCluster cluster) {
    String ns = cluster.namespace();
    List<List<String>> valueSets = List.of(
        List.of(),
        List.of("--set", "watchNamespaces={" + ns + "}", "--set", "replicaCount=2",
            "--set", "metrics.serviceMonitor.enabled=true", "--set", "image.registry=r.example.test",
            "--set", "logLevel=DEBUG", "--set", "serviceAccount.name=custom",
            "--set", "notifications.webhook.urlSecret.name=hooks", "--set", "logFormat=json",
            "--set", "grafanaDashboard.enabled=true", "--set", "sharding.shards=4"));
    for (List<String> values : valueSets) {
      List<String> args = new java.util.ArrayList<>(List.of("template", "dry", CHART, "-n", ns,
          "--include-crds"));
      args.addAll(values);
      String manifests = ok(Tools.helm(cluster, args.toArray(String[]::new)));
      assertThat(manifests).contains("kind: Deployment").doesNotContain("kind: ServiceMonitor");

      ok(Tools.kubectl(cluster, manifests, "apply", "--dry-run=server", "-n", ns, "-f", "-"));
    }
  }

  @Test
  @Order(3)
  void badValuesAreRejectedByTheValuesSchema(TestCluster cluster) {
    Tools.Result result = Tools.helm(cluster, "template", "bad", CHART,
        "--set", "replicaCount=-1", "--set", "logLevel=LOUD", "--set", "sharding.shards=0");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("replicaCount").contains("logLevel")
        .contains("shards");
  }

  @Test
  @Order(4)
  void installUpgradeAndUninstallOnTheCluster(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    String ns = cluster.namespace();
    // A first install on a cluster without Baton: Helm installs the CRD from the chart's crds/.
    // (Test classes run one at a time, so no other class has BatonApps at this point.)
    var crds = client.apiextensions().v1().customResourceDefinitions();
    crds.withName("batonapps.baton.dev").withTimeout(60, java.util.concurrent.TimeUnit.SECONDS)
        .delete();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
        .until(() -> crds.withName("batonapps.baton.dev").get() == null);

    ok(Tools.helm(cluster, "install", "baton", CHART, "-n", ns, "--wait", "--timeout", "2m"));
    assertThat(crds.withName("batonapps.baton.dev").get().getMetadata().getManagedFields())
        .anySatisfy(f -> assertThat(f.getManager()).isEqualTo("helm"));
    Deployment d = client.apps().deployments().withName("baton").get();
    assertThat(d.getStatus().getAvailableReplicas()).as("two replicas by default").isEqualTo(2);
    var pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem())
        .isTrue();
    assertThat(pod.getContainers().get(0).getImage()).isEqualTo("baton-operator:"
        + System.getProperty("baton.version", "0.1.0"));

    ok(Tools.helm(cluster, "upgrade", "baton", CHART, "-n", ns, "--set", "logLevel=DEBUG",
        "--wait", "--timeout", "2m"));
    assertThat(client.apps().deployments().withName("baton").get().getSpec().getTemplate()
        .getSpec().getContainers().get(0).getEnv())
        .anySatisfy(e -> {
          assertThat(e.getName()).isEqualTo("BATON_LOG_LEVEL");
          assertThat(e.getValue()).isEqualTo("DEBUG");
        });

    ok(Tools.helm(cluster, "uninstall", "baton", "-n", ns, "--wait"));
    assertThat(client.apps().deployments().withName("baton").get()).isNull();
    assertThat(client.rbac().clusterRoles().withName("baton").get()).isNull();
    assertThat(client.apiextensions().v1().customResourceDefinitions()
        .withName("batonapps.baton.dev").get()).as("Helm keeps CRDs").isNotNull();
  }

  @Test
  @Order(5)
  void theServiceAccountMayDoWhatBatonDoesAndNothingElse(TestCluster cluster) {
    String ns = cluster.namespace();
    ok(Tools.helm(cluster, "install", "rbac", CHART, "-n", ns, "--set",
        "watchNamespaces={" + ns + "}"));
    try {
      String user = "system:serviceaccount:" + ns + ":rbac-baton";
      assertThat(allowed(cluster, user, ns, "apps", "deployments", "patch")).isTrue();
      assertThat(allowed(cluster, user, ns, "apps", "deployments", "delete")).isTrue();
      assertThat(allowed(cluster, user, ns, "", "services", "patch")).isTrue();
      assertThat(allowed(cluster, user, ns, "baton.dev", "batonapps", "watch")).isTrue();
      assertThat(allowed(cluster, user, ns, "coordination.k8s.io", "leases", "update")).isTrue();
      assertThat(allowed(cluster, user, ns, "coordination.k8s.io", "leases", "list"))
          .as("only with shards").isFalse();

      assertThat(allowed(cluster, user, ns, "", "services", "update")).isFalse();
      assertThat(allowed(cluster, user, ns, "", "secrets", "update")).isFalse();
      assertThat(allowed(cluster, user, ns, "", "configmaps", "get")).isFalse();
      assertThat(allowed(cluster, user, ns, "", "pods", "delete")).isFalse();
      assertThat(allowed(cluster, user, ns, "baton.dev", "batonapps", "delete")).isFalse();
      assertThat(allowed(cluster, user, "default", "apps", "deployments", "patch"))
          .as("only the watched namespaces").isFalse();
    } finally {
      ok(Tools.helm(cluster, "uninstall", "rbac", "-n", ns));
    }
  }

  @Test
  @Order(5)
  void withShardsTheServiceAccountMayListAndDeleteLeasesAndRelabelJobs(TestCluster cluster) {
    String ns = cluster.namespace();
    ok(Tools.helm(cluster, "install", "sharded", CHART, "-n", ns, "--set",
        "watchNamespaces={" + ns + "}", "--set", "sharding.shards=2"));
    try {
      String user = "system:serviceaccount:" + ns + ":sharded-baton";
      assertThat(allowed(cluster, user, ns, "coordination.k8s.io", "leases", "list")).isTrue();
      assertThat(allowed(cluster, user, ns, "coordination.k8s.io", "leases", "delete")).isTrue();
      assertThat(allowed(cluster, user, ns, "batch", "jobs", "patch")).isTrue();
      assertThat(allowed(cluster, user, ns, "", "pods", "delete")).isFalse();
    } finally {
      ok(Tools.helm(cluster, "uninstall", "sharded", "-n", ns));
    }
  }

  @Test
  @Order(6)
  void theChartAppVersionIsTheVersionTheBuildPublishes() throws Exception {
    String chart = Files.readString(Path.of(System.getProperty("baton.repoRoot"), CHART,
        "Chart.yaml"));
    assertThat(chart).contains("appVersion: \"" + System.getProperty("baton.version") + "\"");
  }

  private static boolean allowed(TestCluster cluster, String user, String ns, String group,
      String resource, String verb) {
    SubjectAccessReview review = cluster.client().authorization().v1().subjectAccessReview()
        .create(new SubjectAccessReviewBuilder()
            .withNewSpec().withUser(user)
            .addToGroups("system:serviceaccounts", "system:authenticated")
            .withNewResourceAttributes()
            .withNamespace(ns).withGroup(group).withResource(resource).withVerb(verb)
            .endResourceAttributes()
            .endSpec().build());
    return review.getStatus().getAllowed();
  }
}
