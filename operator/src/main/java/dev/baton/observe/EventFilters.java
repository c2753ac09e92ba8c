package dev.baton.observe;

import dev.baton.operator.UrgentFirstExecutor;
import dev.baton.operator.BatonMetrics;
import dev.baton.apply.ChildApplier;
import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.planning.Labels;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Update filters for the informers: an update event triggers a reconcile only when it changes a
 * field that a reconcile reads. Every pod, Deployment status and EndpointSlice update used to
 * reconcile the app; most of them (a pod's IP, a container's start time, a Deployment condition's
 * heartbeat, a slice endpoint that is not ready yet) cannot change the plan, and on loaded cores
 * the reconciles they cost queue in front of the one that switches traffic.
 *
 * <p>Each filter compares a small "what Baton reads" key of the old and the new object. The keys
 * read only fields that the caches' projections keep ({@link PruningStore}): the old object of an
 * update comes from the cache, the new one from the watch. Adds and deletes always reconcile; a
 * dropped update is still in the cache, so the next reconcile sees it. A key that leaves out a
 * field the planner needs shows up as a rollout that waits forever (the ITs catch that), so the
 * keys are kept to exactly what {@link SnapshotReader}, {@link PodProblems},
 * {@link PreviewEndpoints} and {@link ChildApplier} read.
 */
public final class EventFilters {

  private EventFilters() {}

  /**
   * Counts each update by kind and outcome, then accepts it when the keys differ. The counter
   * ({@code baton_informer_updates_total{kind,result}}) shows what the filter saves.
   */
  public static <R extends HasMetadata> OnUpdateFilter<R> changed(String kind, Function<R, Object> key,
      BatonMetrics metrics) {
    return (newObject, oldObject) -> {
      boolean changed = oldObject == null || newObject == null
          || !Objects.equals(key.apply(newObject), key.apply(oldObject));
      metrics.informerUpdate(kind, changed);
      return changed;
    };
  }

  /**
   * Wraps a filter so that an update it accepts and that {@code opensGate} says may open the
   * app's promotion gate marks the app urgent ({@link UrgentFirstExecutor}): the reconcile that
   * can switch traffic runs before the queue of other apps' reconciles.
   */
  public static <R extends HasMetadata> OnUpdateFilter<R> urgentWhen(OnUpdateFilter<R> filter,
      BiPredicate<R, R> opensGate, Consumer<ResourceID> urgent) {
    return (newObject, oldObject) -> {
      boolean accepted = filter.accept(newObject, oldObject);
      if (accepted && newObject != null && oldObject != null
          && opensGate.test(newObject, oldObject)) {
        String app = ManagedInformers.label(newObject, Labels.APP);
        if (app != null) {
          urgent.accept(new ResourceID(app, newObject.getMetadata().getNamespace()));
        }
      }
      return accepted;
    };
  }

  /** A preview slice lists more pods as ready than before: the new version may now serve. */
  public static boolean moreReady(EndpointSlice newSlice, EndpointSlice oldSlice) {
    return PreviewEndpoints.readyPods(newSlice).size()
        > PreviewEndpoints.readyPods(oldSlice).size();
  }

  /** A Deployment just reached its full size available (the gate with minReadySeconds). */
  public static boolean becameAvailable(Deployment newDeployment, Deployment oldDeployment) {
    return available(newDeployment) >= replicas(newDeployment) && replicas(newDeployment) > 0
        && available(oldDeployment) < replicas(oldDeployment);
  }

  private static int available(Deployment d) {
    return d.getStatus() == null || d.getStatus().getAvailableReplicas() == null ? 0
        : d.getStatus().getAvailableReplicas();
  }

  private static int replicas(Deployment d) {
    return d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
  }

  /** The metadata every reconcile may read: labels, annotations, deletion, generation. */
  private record Meta(Map<String, String> labels, Map<String, String> annotations,
      String deletionTimestamp, Long generation) {
    static Meta of(ObjectMeta m) {
      return m == null ? new Meta(null, null, null, null)
          : new Meta(m.getLabels(), m.getAnnotations(), m.getDeletionTimestamp(),
              m.getGeneration());
    }
  }

  /**
   * Pods: metadata, whether the pod is Ready, whether it is unschedulable, and each container's
   * restarts and waiting reason unless that reason is a normal start (ContainerCreating,
   * PodInitializing). Not the phase, the scheduling or start of a healthy pod, the IP, the node or
   * container ids: the promotion gate reads the preview slices and the Deployment, and
   * {@link PodProblems} names a merely starting pod only after a grace period.
   */
  public static Object podKey(Pod p) {
    record Container(String name, Integer restarts, String waiting) {}
    record Key(Meta meta, boolean ready, boolean unschedulable, List<Container> containers) {}
    var st = p.getStatus();
    List<PodCondition> conditions = st == null || st.getConditions() == null ? List.of()
        : st.getConditions();
    boolean ready = conditions.stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    boolean unschedulable = conditions.stream()
        .anyMatch(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()));
    List<Container> containers = st == null || st.getContainerStatuses() == null ? List.of()
        : st.getContainerStatuses().stream().map((ContainerStatus c) -> {
          String waiting = c.getState() == null || c.getState().getWaiting() == null ? null
              : c.getState().getWaiting().getReason();
          return new Container(c.getName(), c.getRestartCount(),
              PodProblems.isNormalStart(waiting) ? null : waiting);
        }).toList();
    return new Key(Meta.of(p.getMetadata()), ready, unschedulable, containers);
  }

  /**
   * Deployments: metadata (a spec change moves the generation), the replicas Baton applies and
   * the status counts the snapshot reads. Not the conditions, whose heartbeat times change on
   * every status write of the Deployment controller.
   */
  public static Object deploymentKey(Deployment d) {
    record Key(Meta meta, Integer replicas, Long observed, Integer total, Integer updated,
        Integer ready, Integer available) {}
    DeploymentStatus st = d.getStatus() != null ? d.getStatus() : new DeploymentStatus();
    return new Key(Meta.of(d.getMetadata()), d.getSpec() == null ? null : d.getSpec().getReplicas(),
        st.getObservedGeneration(), st.getReplicas(), st.getUpdatedReplicas(),
        st.getReadyReplicas(), st.getAvailableReplicas());
  }

  /**
   * The EndpointSlice controller's slices of a preview Service: labels, deletion and the pods
   * listed as ready (the promotion gate reads nothing else). A pod added as not ready yet, a
   * changed address or a serving/terminating flag does not reconcile.
   */
  public static Object controllerSliceKey(EndpointSlice es) {
    record Key(Map<String, String> labels, String deletionTimestamp, Set<String> ready) {}
    return new Key(es.getMetadata().getLabels(), es.getMetadata().getDeletionTimestamp(),
        PreviewEndpoints.readyPods(es));
  }

  /**
   * The BatonApp itself: its spec (the generation), labels, annotations (commands) and deletion.
   * Not a change of status alone: Baton writes the status and puts what it wrote in the cache
   * ({@code PrimaryUpdateAndCacheUtils}), so the event of its own status write reconciles nothing
   * new (the controller is not generation-aware because commands are annotations).
   */
  public static Object appKey(BatonApp app) {
    return Meta.of(app.getMetadata());
  }
}
