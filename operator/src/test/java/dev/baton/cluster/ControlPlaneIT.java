package dev.baton.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.testcluster.InProcessOperator;
import dev.baton.testcluster.KwokBehavior;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Proves that the test cluster is a real control plane: the Deployment, EndpointSlice and garbage
 * collector controllers run, the API server validates and applies, and the KWOK controls work.
 */
@ExtendWith(TestClusterExtension.class)
class ControlPlaneIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @Test
  void deploymentOfThreeBecomesAvailableBehindThreeReadyEndpoints(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    client.resource(Workloads.deployment("web", 3, Map.of())).create();
    client.resource(Workloads.service("web")).create();

    await().atMost(TIMEOUT).untilAsserted(() -> {
      Deployment d = client.apps().deployments().withName("web").get();
      assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(3);
      assertThat(Workloads.readyEndpoints(client, "web")).isEqualTo(3);
    });
  }

  @Test
  void neverReadyPodsKeepTheDeploymentUnavailableAndTheirEndpointsNotReady(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    client.resource(Workloads.deployment("stuck", 2,
        Map.of(KwokBehavior.LABEL, KwokBehavior.NEVER_READY))).create();
    client.resource(Workloads.service("stuck")).create();

    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(Workloads.allEndpoints(client, "stuck")).isEqualTo(2);
      assertThat(client.pods().withLabel("app", "stuck").list().getItems())
          .hasSize(2).allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));
    });
    Deployment d = client.apps().deployments().withName("stuck").get();
    assertThat(d.getStatus().getAvailableReplicas()).isNull();
    assertThat(Workloads.readyEndpoints(client, "stuck")).isZero();
  }

  @Test
  void crashLoopingPodsShowCrashLoopBackOffAndRestart(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    client.resource(Workloads.deployment("crashy", 1,
        Map.of(KwokBehavior.LABEL, KwokBehavior.CRASH_LOOP))).create();

    await().atMost(TIMEOUT).untilAsserted(() -> {
      List<Pod> pods = client.pods().withLabel("app", "crashy").list().getItems();
      assertThat(pods).hasSize(1);
      var status = pods.get(0).getStatus().getContainerStatuses().get(0);
      assertThat(status.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
      assertThat(status.getReady()).isFalse();
      assertThat(status.getRestartCount()).isGreaterThanOrEqualTo(2);
    });
  }

  @Test
  void podsThatTurnUnreadyLeaveTheEndpoints(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    Deployment flaky = Workloads.deployment("flaky", 2,
        Map.of(KwokBehavior.LABEL, KwokBehavior.UNREADY_AFTER));
    flaky.getSpec().getTemplate().getMetadata()
        .setAnnotations(Map.of(KwokBehavior.UNREADY_AFTER_ANNOTATION, "4s"));
    client.resource(flaky).create();
    client.resource(Workloads.service("flaky")).create();

    await().atMost(TIMEOUT).until(() -> Workloads.readyEndpoints(client, "flaky") == 2);
    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(Workloads.readyEndpoints(client, "flaky")).isZero();
      assertThat(Workloads.allEndpoints(client, "flaky")).isEqualTo(2);
    });
  }

  @Test
  void jobsCompleteUnlessTheirPodsAreToldToFail(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    client.resource(job("ok", Map.of())).create();
    client.resource(job("broken", Map.of(KwokBehavior.LABEL, KwokBehavior.JOB_FAIL))).create();

    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(client.batch().v1().jobs().withName("ok").get().getStatus().getSucceeded())
          .isEqualTo(1);
      Job broken = client.batch().v1().jobs().withName("broken").get();
      assertThat(broken.getStatus().getConditions())
          .anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Failed");
            assertThat(c.getStatus()).isEqualTo("True");
          });
    });
  }

  @Test
  void aCrdSchemaRejectsAnInvalidObjectWithTheApiServersMessage(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    String group = cluster.namespace() + ".test.baton.dev";
    CustomResourceDefinition crd = client.resource(widgetCrd(group)).create();
    try {
      InProcessOperator.awaitEstablished(client, crd.getMetadata().getName());
      ResourceDefinitionContext widgets = new ResourceDefinitionContext.Builder()
          .withGroup(group).withVersion("v1").withPlural("widgets").withKind("Widget")
          .withNamespaced(true).build();
      GenericKubernetesResource bad = new GenericKubernetesResourceBuilder()
          .withApiVersion(group + "/v1").withKind("Widget")
          .withNewMetadata().withName("bad").endMetadata()
          .addToAdditionalProperties("spec", Map.of("size", 0))
          .build();

      assertThatThrownBy(() -> client.genericKubernetesResources(widgets).resource(bad).create())
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("spec.size")
          .hasMessageContaining("should be greater than or equal to 1");
    } finally {
      client.resource(crd).delete();
    }
  }

  @Test
  void serverSideApplyRecordsOurFieldManagerAndAnUnchangedApplyWritesNothing(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    ConfigMap desired = new ConfigMapBuilder()
        .withNewMetadata().withName("applied").endMetadata()
        .addToData("key", "value")
        .build();

    ConfigMap first = client.resource(desired).fieldManager("baton-test").serverSideApply();
    ConfigMap second = client.resource(desired).fieldManager("baton-test").serverSideApply();

    assertThat(first.getMetadata().getManagedFields())
        .extracting(ManagedFieldsEntry::getManager, ManagedFieldsEntry::getOperation)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("baton-test", "Apply"));
    assertThat(second.getMetadata().getResourceVersion())
        .isEqualTo(first.getMetadata().getResourceVersion());
  }

  @Test
  void deletingAnOwnerGarbageCollectsItsDependents(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    ConfigMap owner = client.resource(new ConfigMapBuilder()
        .withNewMetadata().withName("owner").endMetadata().build()).create();
    client.resource(new ConfigMapBuilder()
        .withNewMetadata().withName("dependent")
        .addNewOwnerReference()
        .withApiVersion("v1").withKind("ConfigMap")
        .withName("owner").withUid(owner.getMetadata().getUid())
        .endOwnerReference()
        .endMetadata().build()).create();

    client.resource(owner).delete();

    await().atMost(TIMEOUT).until(() -> client.configMaps().withName("dependent").get() == null);
  }

  private static Job job(String name, Map<String, String> labels) {
    return new JobBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withTemplate(Workloads.podTemplate(name, labels))
        .editTemplate().editSpec().withRestartPolicy("Never").endSpec().endTemplate()
        .endSpec()
        .build();
  }

  private static CustomResourceDefinition widgetCrd(String group) {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName("widgets." + group).endMetadata()
        .withNewSpec()
        .withGroup(group)
        .withScope("Namespaced")
        .withNewNames().withPlural("widgets").withSingular("widget").withKind("Widget").endNames()
        .addNewVersion()
        .withName("v1").withServed(true).withStorage(true)
        .withNewSchema().withNewOpenAPIV3Schema()
        .withType("object")
        .addToProperties("spec", new io.fabric8.kubernetes.api.model.apiextensions.v1
            .JSONSchemaPropsBuilder()
            .withType("object")
            .addToProperties("size", new io.fabric8.kubernetes.api.model.apiextensions.v1
                .JSONSchemaPropsBuilder().withType("integer").withMinimum(1.0).build())
            .build())
        .endOpenAPIV3Schema().endSchema()
        .endVersion()
        .endSpec()
        .build();
  }
}
