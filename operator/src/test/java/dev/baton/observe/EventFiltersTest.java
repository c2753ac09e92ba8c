package dev.baton.observe;

import dev.baton.operator.BatonMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.BatonAppStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The update filters: which changes reconcile an app. The old object of an update comes from a
 * pruned cache, so each case also checks that a key reads the same from the projection.
 */
class EventFiltersTest {

  private final BatonMetrics metrics = new BatonMetrics(
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));

  private static Pod pod() {
    return new PodBuilder()
        .withMetadata(new ObjectMetaBuilder().withName("web-abc-1").withNamespace("ns")
            .withResourceVersion("1").addToLabels("baton.dev/app", "web").build())
        .withNewSpec().withNodeName("node-1").endSpec()
        .withNewStatus().withPhase("Running").withPodIP("10.0.0.1")
        .addNewCondition().withType("Ready").withStatus("False")
            .withLastTransitionTime("2026-01-01T00:00:00Z").endCondition()
        .addNewContainerStatus().withName("app").withRestartCount(0).withNewState()
            .withNewRunning().withStartedAt("2026-01-01T00:00:00Z").endRunning().endState()
            .endContainerStatus()
        .endStatus().build();
  }

  private static Deployment deployment() {
    return new DeploymentBuilder()
        .withMetadata(new ObjectMetaBuilder().withName("web-abc").withNamespace("ns")
            .withGeneration(2L).withResourceVersion("1").build())
        .withNewSpec().withReplicas(2).endSpec()
        .withNewStatus().withObservedGeneration(2L).withReplicas(2).withUpdatedReplicas(2)
            .withReadyReplicas(1).withAvailableReplicas(1)
            .addNewCondition().withType("Progressing").withStatus("True")
                .withLastUpdateTime("2026-01-01T00:00:00Z").endCondition()
        .endStatus().build();
  }

  private static EndpointSlice slice() {
    return new EndpointSliceBuilder()
        .withMetadata(new ObjectMetaBuilder().withName("web-preview-x").withNamespace("ns")
            .withResourceVersion("1")
            .addToLabels(ManagedInformers.SERVICE_NAME, "web-preview").build())
        .withAddressType("IPv4")
        .addNewEndpoint().withAddresses("10.0.0.1").withNewConditions().withReady(true)
            .endConditions().withNewTargetRef().withKind("Pod").withName("web-abc-1")
            .endTargetRef().endEndpoint()
        .build();
  }

  /** Whether the update from old (as the pruned cache holds it) to changed reconciles. */
  private <R extends HasMetadata> boolean reconciles(R old, UnaryOperator<R> change,
      PruningStore<R> store, Function<R, Object> key) {
    store.put("k", old);
    R cached = store.remove("k");
    R changed = change.apply(old);
    OnUpdateFilter<R> filter = EventFilters.changed("Test", key, metrics);
    return filter.accept(changed, cached);
  }

  private static Pod editPod(Pod p, java.util.function.Consumer<PodBuilder> edit) {
    PodBuilder b = new PodBuilder(p).editMetadata().withResourceVersion("2").endMetadata();
    edit.accept(b);
    return b.build();
  }

  @Test
  void podUpdatesReconcileOnlyWhenWhatTheSnapshotReadsChanges() {
    // Unchanged except the resource version, the IP and the node: skipped.
    assertThat(reconciles(pod(), p -> editPod(p, b -> b.editStatus().withPodIP("10.0.0.2")
        .endStatus().editSpec().withNodeName("node-2").endSpec()), PruningStore.forPods(),
        EventFilters::podKey)).isFalse();
    // Ready flips: reconciled.
    assertThat(reconciles(pod(), p -> editPod(p, b -> b.editStatus().editFirstCondition()
        .withStatus("True").endCondition().endStatus()), PruningStore.forPods(),
        EventFilters::podKey)).isTrue();
    // A waiting reason appears: reconciled (it is in the status message).
    assertThat(reconciles(pod(), p -> editPod(p, b -> b.editStatus().editFirstContainerStatus()
        .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
        .withRestartCount(1).endContainerStatus().endStatus()), PruningStore.forPods(),
        EventFilters::podKey)).isTrue();
    // A container starts normally: skipped.
    assertThat(reconciles(pod(), p -> editPod(p, b -> b.editStatus().withPhase("Pending")
        .editFirstContainerStatus().withNewState().withNewWaiting()
        .withReason("ContainerCreating").endWaiting().endState().endContainerStatus()
        .endStatus()), PruningStore.forPods(), EventFilters::podKey)).isFalse();
    // Marked for deletion: reconciled.
    assertThat(reconciles(pod(), p -> editPod(p, b -> b.editMetadata()
        .withDeletionTimestamp("2026-01-01T00:01:00Z").endMetadata()), PruningStore.forPods(),
        EventFilters::podKey)).isTrue();
  }

  @Test
  void deploymentUpdatesReconcileOnlyOnCountsGenerationAndMetadata() {
    // A condition's heartbeat alone: skipped.
    assertThat(reconciles(deployment(), d -> new DeploymentBuilder(d).editMetadata()
        .withResourceVersion("2").endMetadata().editStatus().editFirstCondition()
        .withLastUpdateTime("2026-01-01T00:00:05Z").endCondition().endStatus().build(),
        PruningStore.withoutManagedFields(), EventFilters::deploymentKey)).isFalse();
    assertThat(reconciles(deployment(), d -> new DeploymentBuilder(d).editStatus()
        .withAvailableReplicas(2).endStatus().build(),
        PruningStore.withoutManagedFields(), EventFilters::deploymentKey)).isTrue();
    assertThat(reconciles(deployment(), d -> new DeploymentBuilder(d).editMetadata()
        .withGeneration(3L).endMetadata().build(),
        PruningStore.withoutManagedFields(), EventFilters::deploymentKey)).isTrue();
    assertThat(reconciles(deployment(), d -> new DeploymentBuilder(d).editMetadata()
        .addToAnnotations("baton.dev/promoted-at", "x").endMetadata().build(),
        PruningStore.withoutManagedFields(), EventFilters::deploymentKey)).isTrue();
  }

  @Test
  void sliceUpdatesReconcileOnlyWhenTheReadyPodsChange() {
    // A second endpoint, not ready yet: skipped.
    assertThat(reconciles(slice(), s -> new EndpointSliceBuilder(s).editMetadata()
        .withResourceVersion("2").endMetadata().addNewEndpoint().withAddresses("10.0.0.2")
        .withNewConditions().withReady(false).endConditions().withNewTargetRef().withKind("Pod")
        .withName("web-abc-2").endTargetRef().endEndpoint().build(),
        PruningStore.forControllerSlices(), EventFilters::controllerSliceKey)).isFalse();
    // The first one stops being ready: reconciled.
    assertThat(reconciles(slice(), s -> new EndpointSliceBuilder(s).editFirstEndpoint()
        .editConditions().withReady(false).endConditions().endEndpoint().build(),
        PruningStore.forControllerSlices(), EventFilters::controllerSliceKey)).isTrue();
  }

  /** The apps a filter built by {@link EventFilters#urgentWhen} marked urgent. */
  private final List<ResourceID> urgent = new ArrayList<>();

  private <R extends HasMetadata> OnUpdateFilter<R> markingUrgent(Function<R, Object> key,
      BiPredicate<R, R> opensGate) {
    return EventFilters.urgentWhen(EventFilters.changed("Test", key, metrics), opensGate,
        urgent::add);
  }

  @Test
  void aSliceWithMorePodsReadyMarksItsAppUrgentAndOtherUpdatesDoNot() {
    OnUpdateFilter<EndpointSlice> filter = markingUrgent(EventFilters::controllerSliceKey,
        EventFilters::moreReady);
    EndpointSlice one = new EndpointSliceBuilder(slice()).editMetadata()
        .addToLabels("baton.dev/app", "web").endMetadata().build();
    EndpointSlice two = new EndpointSliceBuilder(one).addNewEndpoint().withAddresses("10.0.0.2")
        .withNewConditions().withReady(true).endConditions().withNewTargetRef().withKind("Pod")
        .withName("web-abc-2").endTargetRef().endEndpoint().build();

    assertThat(filter.accept(one, two)).as("one fewer ready: reconciles").isTrue();
    assertThat(urgent).as("but cannot open the gate").isEmpty();
    assertThat(filter.accept(two, one)).isTrue();
    assertThat(urgent).containsExactly(new ResourceID("web", "ns"));
  }

  @Test
  void aDeploymentReachingFullAvailabilityMarksItsAppUrgent() {
    OnUpdateFilter<Deployment> filter = markingUrgent(EventFilters::deploymentKey,
        EventFilters::becameAvailable);
    Deployment half = new DeploymentBuilder(deployment()).editMetadata()
        .addToLabels("baton.dev/app", "web").endMetadata().build();
    Deployment full = new DeploymentBuilder(half).editStatus().withReadyReplicas(2)
        .withAvailableReplicas(2).endStatus().build();

    assertThat(filter.accept(full, half)).isTrue();
    assertThat(urgent).hasSize(1);
    assertThat(filter.accept(new DeploymentBuilder(full).editMetadata().withGeneration(3L)
        .endMetadata().build(), full)).isTrue();
    assertThat(urgent).as("already available before: not again").hasSize(1);
  }

  @Test
  void anAppUpdateOfStatusAloneDoesNotReconcile() {
    BatonApp app = new BatonApp();
    app.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("ns")
        .withGeneration(1L).withResourceVersion("1").build());
    BatonApp statusOnly = new BatonApp();
    statusOnly.setMetadata(new ObjectMetaBuilder(app.getMetadata()).withResourceVersion("2")
        .build());
    statusOnly.setStatus(new BatonAppStatus());
    OnUpdateFilter<BatonApp> filter = EventFilters.changed("BatonApp", EventFilters::appKey,
        metrics);
    assertThat(filter.accept(statusOnly, app)).isFalse();
    BatonApp promoted = new BatonApp();
    promoted.setMetadata(new ObjectMetaBuilder(app.getMetadata()).withResourceVersion("3")
        .addToAnnotations("baton.dev/promote", "now").build());
    assertThat(filter.accept(promoted, app)).isTrue();
    BatonApp edited = new BatonApp();
    edited.setMetadata(new ObjectMetaBuilder(app.getMetadata()).withResourceVersion("4")
        .withGeneration(2L).build());
    assertThat(filter.accept(edited, app)).isTrue();
  }
}
