package dev.baton.operator;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.apply.EventRecorder;
import dev.baton.apply.ShardAdoption;
import dev.baton.observe.ManagedInformers;
import dev.baton.planning.PlannedEvent;
import dev.baton.shard.ShardAssignment;
import dev.baton.shard.ShardScope;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a sharded reconcile checks before it plans: that the app's children are in this shard's
 * caches. An app that has been deployed but whose Deployments this shard does not see has just
 * changed shards (its label, or the shard count, changed): its children still carry the old
 * shard's label. The gate has them relabelled ({@link ShardAdoption}) and holds the app until the
 * caches show every one of them, for at most {@link #ADOPTION_WAIT}; a plan from caches that miss
 * the live Deployment or Service would take the app for a new one.
 */
final class ShardGate {

  /** How long an app waits for its relabelled children to reach the caches, at most. */
  static final Duration ADOPTION_WAIT = Duration.ofSeconds(30);

  private final ShardScope scope;
  private final ManagedInformers informers;
  private final ShardAdoption adoption;
  private final EventRecorder recorder;
  private final Clock clock;
  /** Children relabelled into this shard and not yet seen in the caches, by app, with when. */
  private final Map<ResourceID, Adopting> adopting = new ConcurrentHashMap<>();
  /** The unusable shard labels already warned of, by app UID and value (one Event each). */
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  private record Adopting(List<ShardAdoption.Moved> moved, Instant since) {}

  ShardGate(ShardScope scope, ManagedInformers informers, ShardAdoption adoption,
      EventRecorder recorder, Clock clock) {
    this.scope = scope;
    this.informers = informers;
    this.adoption = adoption;
    this.recorder = recorder;
    this.clock = clock;
  }

  /** True while the app must wait (look again shortly); false when it may be planned. */
  boolean waiting(BatonApp app) {
    warnOfUnusableLabel(app);
    ResourceID id = ResourceID.fromResource(app);
    String namespace = app.getMetadata().getNamespace();
    Adopting pending = adopting.get(id);
    if (pending == null && app.getStatus() != null
        && (app.getStatus().activeHash != null || app.getStatus().rollout != null)
        && informers.deploymentsOf(namespace, app.getMetadata().getName()).findAny().isEmpty()) {
      List<ShardAdoption.Moved> moved = adoption.adopt(namespace, app.getMetadata().getName());
      if (!moved.isEmpty()) {
        pending = new Adopting(moved, clock.instant());
        adopting.put(id, pending);
      }
    }
    if (pending == null) {
      return false;
    }
    boolean seen = pending.moved().stream()
        .allMatch(m -> informers.cached(m.kind(), namespace, m.name()));
    if (seen || pending.since().plus(ADOPTION_WAIT).isBefore(clock.instant())) {
      adopting.remove(id);
      return false;
    }
    return true;
  }

  /**
   * A {@code baton.dev/shard} label that names no shard is ignored (the hash decides, so every
   * replica still agrees), with a Warning Event that says what to set.
   */
  private void warnOfUnusableLabel(BatonApp app) {
    var labels = app.getMetadata().getLabels();
    String value = labels == null ? null : labels.get(ShardAssignment.LABEL);
    if (value == null || ShardAssignment.chosen(value, scope.shards()).isPresent()
        || !warned.add(app.getMetadata().getUid() + "/" + value)) {
      return;
    }
    recorder.emit(app, new PlannedEvent(true, "UnusableShardLabel",
        "Label " + ShardAssignment.LABEL + "=" + value + " names no shard: set an integer from 0"
            + " to " + (scope.shards() - 1) + ", or remove it; until then the app is in shard "
            + scope.shard() + " (from a hash of its name)", "shard-label/" + value));
  }
}
