package dev.baton.operator;

import dev.baton.observe.MeasurementInbox;
import dev.baton.observe.MigrationReader;
import dev.baton.observe.ManagedInformers;
import dev.baton.observe.SnapshotReader;
import dev.baton.apply.RenderingApplier;
import dev.baton.apply.ChildApplier;
import dev.baton.apply.ShardAdoption;
import dev.baton.shard.ShardScope;
import dev.baton.apply.EventRecorder;
import dev.baton.analysis.ResolvedMetric;
import dev.baton.analysis.pool.MeasurementPool;
import dev.baton.analysis.provider.ProviderCredentials;
import dev.baton.analysis.provider.prometheus.PrometheusMetricProvider;
import dev.baton.analysis.provider.web.WebMetricProvider;
import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.BatonAppStatus;
import dev.baton.planning.AnalysisPlan;
import dev.baton.planning.Commands;
import dev.baton.planning.DesiredObjects;
import dev.baton.planning.Labels;
import dev.baton.planning.MigrationPlanner;
import dev.baton.planning.Plan;
import dev.baton.planning.RolloutPlanner;
import dev.baton.planning.Snapshot;
import dev.baton.planning.StatusPlanner;
import dev.baton.planning.SwitchRecord;
import dev.baton.render.AppChildren;
import dev.baton.render.Renderer;
import dev.baton.render.Rendering;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reconciles one BatonApp in four steps: observe the caches ({@link SnapshotReader}), plan
 * ({@link RolloutPlanner}, with the migration gate and the {@link SwitchRecord}), record Events and
 * status, then apply the children ({@link ChildApplier}): the record goes first, so that a crash
 * between it and the writes it leads to is resumed, not forgotten. The one exception is a move of
 * the active Service, whose latency users see: it is written first, and its record after it
 * ({@link SwitchRecord} completes a record lost between the two from the Service's selector).
 */
// Not generation-aware: manual commands are annotations, which leave metadata.generation alone.
@ControllerConfiguration(name = BatonAppReconciler.NAME, generationAwareEventProcessing = false)
public final class BatonAppReconciler implements Reconciler<BatonApp> {

  /** The controller's name, used in metrics, logs and leader election. */
  public static final String NAME = "batonapp";

  private static final Logger LOG = LoggerFactory.getLogger(BatonAppReconciler.class);
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final KubernetesClient client;
  private final Clock clock;
  private final RolloutPlanner planner = new RolloutPlanner();
  /** The only write path for the children. */
  private final RenderingApplier writer;
  private final EventRecorder recorder;
  private final ManagedInformers informers;
  private final MigrationPlanner migrations = new MigrationPlanner();

  private final BatonMetrics metrics;
  private final WebhookNotifier notifier;
  /** Measurements landed by the pool and not yet in status. */
  private final MeasurementInbox inbox = new MeasurementInbox();
  /** Wakes an app's reconcile when one of its measurements lands. */
  private final SimpleInboundEventSource<BatonApp> measured =
      new SimpleInboundEventSource<>("analysis-measurements");
  private final MeasurementPool pool;
  /** The thresholdRange of each measurement in flight, for the last-value gauges. */
  private final Map<MeasurementPool.Key, Optional<dev.baton.api.v1alpha1.ThresholdRange>>
      inFlightThresholds = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * @param urgent marks an app whose promotion gate may just have opened, so that its reconcile
   *     runs first ({@link UrgentFirstExecutor#markUrgent})
   */
  public BatonAppReconciler(KubernetesClient client, Clock clock, BatonMetrics metrics,
      WebhookNotifier notifier, java.util.function.Consumer<ResourceID> urgent) {
    this(client, clock, metrics, notifier, urgent, ShardScope.whole());
  }

  /** The apps this reconciler owns (all, unless sharded). */
  private final ShardScope scope;
  /** With shards: holds an app back until its children are in this shard's caches. */
  private final ShardGate shardGate;
  /** Stops the gauge pruning of this reconciler's apps when its shard stops. */
  private java.util.concurrent.ScheduledExecutorService pruning;

  /**
   * @param scope the shard of the apps to reconcile ({@link ShardScope#whole()} for all)
   */
  public BatonAppReconciler(KubernetesClient client, Clock clock, BatonMetrics metrics,
      WebhookNotifier notifier, java.util.function.Consumer<ResourceID> urgent, ShardScope scope) {
    this.scope = scope;
    this.client = client;
    this.clock = clock;
    this.metrics = metrics;
    this.notifier = notifier;
    this.recorder = new EventRecorder(client);
    this.informers = new ManagedInformers(metrics, urgent, scope);
    this.shardGate = new ShardGate(scope, informers, new ShardAdoption(client, scope), recorder,
        clock);
    this.writer = new RenderingApplier(client, informers);
    this.pool = new MeasurementPool(MEASUREMENT_THREADS, MEASUREMENT_QUEUE, Map.of(
        "prometheus", new PrometheusMetricProvider(), "web", new WebMetricProvider()),
        (key, m) -> {
          inbox.add(key, m);
          metrics.measurement(key.metric(), m.phase());
          m.value().filter(Double::isFinite).ifPresent(v -> metrics.analysisValue(
              key.namespace(), key.app(), key.metric(), v,
              inFlightThresholds.getOrDefault(key, Optional.empty()).orElse(null)));
          inFlightThresholds.remove(key);
          measured.propagateEvent(new ResourceID(key.app(), key.namespace()));
        }, clock);
  }

  /** Measurements taken at once, off the reconcile threads. */
  static final int MEASUREMENT_THREADS = 4;
  /** Measurements waiting at most; beyond, a request is refused and asked again later. */
  static final int MEASUREMENT_QUEUE = 1000;

  @Override
  public List<EventSource<?, BatonApp>> prepareEventSources(
      io.javaoperatorsdk.operator.api.reconciler.EventSourceContext<BatonApp> context) {
    // Gauges and landed measurements of deleted apps go within a minute; no finalizer (and no
    // extra write) needed.
    var primaries = context.getPrimaryCache();
    pruning = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "baton-metrics-prune");
      t.setDaemon(true);
      return t;
    });
    pruning.scheduleWithFixedDelay(() -> {
      // Only this shard's apps: the placeholders of other shards' apps hold no spec.
      var existing = primaries.list().filter(a -> a.getSpec() != null)
          .map(a -> new BatonMetrics.AppKey(a.getMetadata().getNamespace(),
              a.getMetadata().getName()))
          .collect(java.util.stream.Collectors.toSet());
      metrics.retainOnly(existing);
      // Measurements of deleted apps go too.
      inbox.retainOnly(existing);
    }, 1, 1, java.util.concurrent.TimeUnit.MINUTES);
    List<EventSource<?, BatonApp>> sources = new ArrayList<>(informers.create(context));
    sources.add(measured);
    return sources;
  }

  /**
   * Stops what this reconciler runs beside the SDK (the gauge pruning, the measurement pool):
   * called when its shard is handed to another replica.
   */
  public void close() {
    if (pruning != null) {
      pruning.shutdownNow();
    }
    pool.close();
  }

  @Override
  public UpdateControl<BatonApp> reconcile(BatonApp app, Context<BatonApp> context) {
    // Another shard's app (a placeholder, or an app that moved away while a retry or a resync
    // of it was pending): its shard reconciles it.
    if (!scope.owns(app)) {
      return UpdateControl.noUpdate();
    }
    if (scope.sharded() && shardGate.waiting(app)) {
      return UpdateControl.<BatonApp>noUpdate().rescheduleAfter(500);
    }
    // Observe.
    MeasurementInbox.Taken landed = inbox.take(app.getMetadata().getNamespace(),
        app.getMetadata().getName());
    Snapshot snapshot = new SnapshotReader(informers, clock).read(app, landed);
    // Decide: the migration gate wraps whichever strategy planner decides the rollout, and the
    // switch record reports a switch of the active Service once, whichever reconcile sees it.
    MigrationPlanner.Decision migration = migrations.plan(snapshot,
        new MigrationReader(informers).read(app), planner::plan);
    SwitchRecord.Result switched = SwitchRecord.apply(snapshot, app.getStatus(),
        migration.plan());
    Plan plan = switched.plan();
    BatonAppStatus next = StatusPlanner.next(snapshot, switched, app.getStatus(),
        DesiredObjects.appSelector(app.getMetadata().getName()));
    next.migrations = migration.status();
    int targetRevision = snapshot.revisionOf(plan.target().hash());
    MDC.put("baton.revision", Integer.toString(targetRevision));

    // Render, from the caches' view of the children at this moment.
    OwnerReference owner = ownerOf(app);
    AppChildren children = informers.children(app.getMetadata().getNamespace(),
        app.getMetadata().getName());
    ResourceID primary = ResourceID.fromResource(app);
    Rendering rendered = Renderer.children(snapshot, plan, owner, children);
    int written = 0;
    if (switched.switching()) {
      // The switch before anything else: nothing is in series before it. Its record (the Event,
      // the status) comes after it; a crash or a failed write in between leaves a Service that
      // selects another version than status recorded, and the next reconcile records the switch
      // from that. A failed Service write throws here, before any Event or record of it.
      written += writer.apply(primary, rendered.only(Rendering.Stage.SWITCH));
    }
    // Events before the record: each is named after the transition and the status it was decided
    // from, so a reconcile that stops before the status write repeats them under the same names
    // (the API server keeps one), and one that got past it does not decide them again.
    plan.events().forEach(e -> {
      LOG.info("{}: {}", e.reason(), e.message());
      recorder.emit(app, e);
    });
    // Jobs before the record: status.migrations lists a Job as started only once it exists.
    written += writer.apply(primary,
        Renderer.migrationJobs(snapshot.app(), owner, migration, children));
    // The record before the (other) children: a step, a timer or an abort is in status before
    // the write it leads to, so a crash between the two is resumed, not forgotten. Written
    // once per reconcile and put in the cache, so the next reconcile plans from it even if the
    // watch has not delivered it yet. A lost write of this record can only restart a timer or
    // re-confirm a step: a switch is recorded from the Service's selector (SwitchRecord), and a
    // scale-down re-decided from the weight read back.
    if (!sameStatus(app.getStatus(), next)) {
      BatonApp patch = new BatonApp();
      patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
          .withName(app.getMetadata().getName())
          .withNamespace(app.getMetadata().getNamespace())
          .build());
      patch.setStatus(next);
      PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(app, patch, context);
    }
    // Status holds these runs' measurements now (or their run is over): forget them, then ask
    // the pool for those due. The pool measures off the reconcile threads; each landing wakes
    // this app again.
    inbox.drain(landed, plan.analysis().drain());
    measure(app, landed, plan);
    // The commands' effect is in the record now: they go before the children are written.
    consumeCommands(app, plan);
    // Apply: the one write path for the children, wave by wave, then what the render dropped.
    written += writer.apply(primary, switched.switching()
        ? rendered.without(Rendering.Stage.SWITCH) : rendered);
    notifier.notify(app, plan.events(), targetRevision);
    // Metrics count what this process decided (the switch when it is written, not when its
    // record is completed), from the plan before the switch record moved its Event.
    Plan decided = migration.plan();
    metrics.record(app.getMetadata().getNamespace(), app.getMetadata().getName(), decided,
        decided.outcome().promotedHash().map(hash -> sinceLastPodReady(app, hash)).orElse(null));
    metrics.migrations(migration.finished());
    MDC.remove("baton.revision");
    UpdateControl<BatonApp> control = UpdateControl.noUpdate();
    ReadBackLook.next(plan.requeueAfter(), written).ifPresent(control::rescheduleAfter);
    return control;
  }

  /** Hands the measurements due to the pool; Job metrics' Jobs are rendered children. */
  private void measure(BatonApp app, MeasurementInbox.Taken landed, Plan plan) {
    String namespace = app.getMetadata().getNamespace();
    for (AnalysisPlan.Measurement m : plan.analysis().measure()) {
      MeasurementPool.Key key = new MeasurementPool.Key(namespace, app.getMetadata().getName(),
          m.run(), m.metric().name());
      // One landed since the snapshot: its own reconcile decides what is due next.
      if (inbox.unchangedSince(landed, key)) {
        inFlightThresholds.put(key, Optional.ofNullable(m.metric().spec().thresholdRange));
        if (pool.submit(key, m.metric(), () -> credentials(namespace, m.metric()),
            m.variables()) == MeasurementPool.Submitted.REFUSED) {
          inFlightThresholds.remove(key);
        }
      }
    }
  }

  /** A metric's credentials, read from their Secrets when used (on the pool thread). */
  private ProviderCredentials.Result credentials(String namespace, ResolvedMetric metric) {
    return ProviderCredentials.resolve(metric.spec().provider, ref -> {
      Secret secret = client.secrets().inNamespace(namespace).withName(ref.name).get();
      if (secret == null) {
        return Optional.empty();
      }
      if (secret.getData() != null && secret.getData().get(ref.key) != null) {
        return Optional.of(new String(java.util.Base64.getDecoder()
            .decode(secret.getData().get(ref.key)), java.nio.charset.StandardCharsets.UTF_8));
      }
      return secret.getStringData() == null ? Optional.empty()
          : Optional.ofNullable(secret.getStringData().get(ref.key));
    });
  }

  /** From the last pod of a version becoming Ready until now (the switch), from the cache. */
  private java.time.Duration sinceLastPodReady(BatonApp app, String hash) {
    return informers.podsOf(app.getMetadata().getNamespace(), app.getMetadata().getName())
        .filter(p -> hash.equals(ManagedInformers.label(p, Labels.REVISION_HASH)))
        .flatMap(p -> p.getStatus() == null || p.getStatus().getConditions() == null
            ? java.util.stream.Stream.empty() : p.getStatus().getConditions().stream())
        .filter(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())
            && c.getLastTransitionTime() != null)
        .map(c -> java.time.Instant.parse(c.getLastTransitionTime()))
        .max(java.util.Comparator.naturalOrder())
        .map(t -> java.time.Duration.between(t, clock.instant()))
        .filter(d -> !d.isNegative())
        .orElse(null);
  }

  private void consumeCommands(BatonApp app, Plan plan) {
    var annotations = app.getMetadata().getAnnotations();
    List<String> keys = new ArrayList<>();
    if (plan.consumeCommands()) {
      keys.addAll(List.of(Commands.PROMOTE, Commands.ABORT, Commands.RETRY));
    }
    if (plan.consumeUndo()) {
      keys.add(Commands.UNDO);
    }
    List<String> ops = new ArrayList<>();
    for (String key : keys) {
      if (annotations != null && annotations.containsKey(key)) {
        ops.add("{\"op\":\"remove\",\"path\":\"/metadata/annotations/"
            + key.replace("~", "~0").replace("/", "~1") + "\"}");
      }
    }
    if (ops.isEmpty()) {
      return;
    }
    try {
      client.resources(BatonApp.class).inNamespace(app.getMetadata().getNamespace())
          .withName(app.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON), "[" + String.join(",", ops) + "]");
    } catch (KubernetesClientException e) {
      // Already removed (a concurrent edit); the effect is recorded on the children either way.
      LOG.debug("Could not remove command annotations: {}", e.getMessage());
    }
  }

  private static boolean sameStatus(BatonAppStatus previous, BatonAppStatus next) {
    return previous != null && Objects.equals(JSON.asJson(previous), JSON.asJson(next));
  }

  private static OwnerReference ownerOf(BatonApp app) {
    return new OwnerReferenceBuilder()
        .withApiVersion(app.getApiVersion())
        .withKind(app.getKind())
        .withName(app.getMetadata().getName())
        .withUid(app.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }
}
