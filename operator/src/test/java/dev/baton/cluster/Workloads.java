package dev.baton.cluster;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/** Small builders and read-backs for the harness tests. */
final class Workloads {

  private Workloads() {}

  static PodTemplateSpec podTemplate(String app, Map<String, String> extraLabels) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata().addToLabels("app", app).addToLabels(extraLabels).endMetadata()
        .withNewSpec()
        .addToContainers(new ContainerBuilder()
            .withName("web").withImage("example.test/web:1")
            .addNewPort().withName("http").withContainerPort(8080).endPort()
            .build())
        .endSpec()
        .build();
  }

  static Deployment deployment(String name, int replicas, Map<String, String> extraLabels) {
    return new DeploymentBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withTemplate(podTemplate(name, extraLabels))
        .endSpec()
        .build();
  }

  static Service service(String name) {
    return new ServiceBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
        .addToSelector("app", name)
        .addNewPort().withPort(80).withNewTargetPort("http").endPort()
        .endSpec()
        .build();
  }

  /** Endpoints the real EndpointSlice controller lists as ready for a Service. */
  static long readyEndpoints(KubernetesClient client, String service) {
    return client.discovery().v1().endpointSlices()
        .withLabel("kubernetes.io/service-name", service).list().getItems().stream()
        .flatMap(slice -> slice.getEndpoints() == null ? java.util.stream.Stream.<Endpoint>empty()
            : slice.getEndpoints().stream())
        .filter(e -> e.getConditions() != null && Boolean.TRUE.equals(e.getConditions().getReady()))
        .count();
  }

  /** All endpoints of a Service's EndpointSlices, ready or not. */
  static long allEndpoints(KubernetesClient client, String service) {
    return client.discovery().v1().endpointSlices()
        .withLabel("kubernetes.io/service-name", service).list().getItems().stream()
        .mapToLong(slice -> slice.getEndpoints() == null ? 0 : slice.getEndpoints().size())
        .sum();
  }
}
