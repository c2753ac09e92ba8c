package dev.baton.apply;

import dev.baton.operator.FaultPoint;
import dev.baton.observe.ManagedInformers;
import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.render.Rendering;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.HttpURLConnection;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only write path for an app's children: writes a {@link Rendering} wave by wave (server-side
 * apply under Baton's field manager through {@link ChildApplier}, or a create for Jobs), puts each
 * write into its informer's cache, then deletes what the render dropped. It never decides
 * anything: what to write, how and in which order is the rendering's.
 */
public final class RenderingApplier {

  private static final Logger LOG = LoggerFactory.getLogger(RenderingApplier.class);

  private final KubernetesClient client;
  private final ChildApplier applier;
  private final ManagedInformers informers;

  public RenderingApplier(KubernetesClient client, ManagedInformers informers) {
    this.client = client;
    this.applier = new ChildApplier(client);
    this.informers = informers;
  }

  /**
   * Writes the rendering.
   *
   * @return how many objects were written (0 when the caches already matched); deletions are
   *     not counted, as the watch reports them even for Baton's own
   */
  public int apply(ResourceID primary, Rendering rendering) {
    int written = 0;
    for (Rendering.Wave wave : rendering.waves()) {
      for (Rendering.Write write : wave.writes()) {
        if (write(primary, write.object(), write.mode())) {
          written++;
        }
      }
      if (wave.stage() == Rendering.Stage.SWITCH) {
        FaultPoint.AFTER_SWITCH.reached();
      }
    }
    for (Rendering.Removal removal : rendering.removals()) {
      if (removal.background()) {
        client.resource(removal.object()).withPropagationPolicy(DeletionPropagation.BACKGROUND)
            .delete();
      } else {
        applier.delete(removal.object());
      }
    }
    return written;
  }

  /** Writes one object unless the cache shows it as wanted; true when a request was sent. */
  private <R extends HasMetadata> boolean write(ResourceID primary, R desired, Rendering.Mode mode) {
    labelForShard(desired);
    Optional<InformerEventSource<R, BatonApp>> source = informers.sourceFor(desired);
    try {
      if (mode == Rendering.Mode.CREATE) {
        R created = client.resource(desired).create();
        // In the cache at once: the next reconcile must see it, never create it again.
        source.ifPresent(s -> s.handleRecentResourceCreate(primary, created));
        LOG.info("Created {} {}", desired.getKind(), desired.getMetadata().getName());
        return true;
      }
      Optional<R> cached = source.flatMap(s -> s.get(ResourceID.fromResource(desired)));
      Optional<R> written = applier.apply(desired, cached);
      written.ifPresent(w -> source.ifPresent(s -> remember(s, primary, w, cached.orElse(null))));
      return written.isPresent();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || mode == Rendering.Mode.APPLY) {
        throw e;
      }
      if (mode == Rendering.Mode.CREATE) {
        // An earlier reconcile created it and the cache has not caught up: exactly once holds,
        // and the watch will deliver it.
        LOG.info("{} {} exists already", desired.getKind(), desired.getMetadata().getName());
      } else {
        // Someone changed it since the cache saw it: the watch brings the new version and
        // another reconcile, which carries their change into Baton's next write.
        LOG.info("{} {} changed concurrently; applying again on the next reconcile",
            desired.getKind(), desired.getMetadata().getName());
      }
      return true;
    }
  }

  /**
   * With sharded apps, every child carries its app's shard: the shard's informers select that
   * label (ManagedInformers). Not the pod template: that would replace the pods.
   */
  private void labelForShard(HasMetadata desired) {
    if (!informers.scope().sharded()) {
      return;
    }
    java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
    if (desired.getMetadata().getLabels() != null) {
      labels.putAll(desired.getMetadata().getLabels());
    }
    labels.put(dev.baton.shard.ShardAssignment.LABEL, informers.scope().label());
    desired.getMetadata().setLabels(labels);
  }

  /** Puts our own write into the cache, so the next reconcile never acts on an older view. */
  private static <R extends HasMetadata> void remember(InformerEventSource<R, BatonApp> source,
      ResourceID primary, R written, R previous) {
    if (previous == null) {
      source.handleRecentResourceCreate(primary, written);
    } else {
      source.handleRecentResourceUpdate(primary, written, previous);
    }
  }
}
