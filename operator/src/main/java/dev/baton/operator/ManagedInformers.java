package dev.baton.operator;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.planning.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The informers behind a reconcile. Each holds only objects labelled {@link Labels#APP}, the ones
 * Baton manages, never every Deployment, Service or Pod of the cluster; each maps an object back to
 * its BatonApp by that label.
 */
final class ManagedInformers {

  private static final String MANAGED = Labels.APP;

  private InformerEventSource<Deployment, BatonApp> deployments;
  private InformerEventSource<Service, BatonApp> services;
  private InformerEventSource<Pod, BatonApp> pods;

  List<EventSource<?, BatonApp>> create(EventSourceContext<BatonApp> context) {
    deployments = informer(Deployment.class, context);
    services = informer(Service.class, context);
    pods = informer(Pod.class, context);
    return List.of(deployments, services, pods);
  }

  private static <R extends HasMetadata> InformerEventSource<R, BatonApp> informer(
      Class<R> type, EventSourceContext<BatonApp> context) {
    var config = InformerEventSourceConfiguration.from(type, BatonApp.class)
        .withLabelSelector(MANAGED)
        .withSecondaryToPrimaryMapper(ManagedInformers::owningApp)
        .withNamespacesInheritedFromController()
        .build();
    return new InformerEventSource<>(config, context);
  }

  private static Set<ResourceID> owningApp(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    String app = labels == null ? null : labels.get(MANAGED);
    return app == null ? Set.of()
        : Set.of(new ResourceID(app, object.getMetadata().getNamespace()));
  }

  InformerEventSource<Deployment, BatonApp> deployments() {
    return deployments;
  }

  InformerEventSource<Service, BatonApp> services() {
    return services;
  }

  Optional<Deployment> deployment(String namespace, String name) {
    return deployments.get(new ResourceID(name, namespace));
  }

  Optional<Service> service(String namespace, String name) {
    return services.get(new ResourceID(name, namespace));
  }

  Stream<Deployment> deploymentsOf(String namespace, String app) {
    return deployments.list(namespace, d -> app.equals(label(d, MANAGED)));
  }

  Stream<Pod> podsOf(String namespace, String app) {
    return pods.list(namespace, p -> app.equals(label(p, MANAGED)));
  }

  static String label(HasMetadata object, String key) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }
}
