package dev.baton.operator;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.observe.EventFilters;
import dev.baton.shard.ForeignPlaceholderStore;
import dev.baton.shard.ShardScope;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Clock;
import java.time.Duration;

/** Registers Baton's controllers with an operator; shared by main and the integration tests. */
public final class Controllers {

  private Controllers() {}

  /**
   * How often an app is reconciled even when nothing announces a change: the safety net for a
   * wake-up that never comes (a watch event lost while the API server restarts, a timer lost
   * with a process). A reconcile that finds nothing to do writes nothing, so the cost is reads
   * from the caches. The SDK's default is 10 hours; Argo Rollouts resyncs every 15 minutes.
   */
  public static final Duration RESYNC = Duration.ofMinutes(5);

  /**
   * Retries of a failed reconcile: without end, 1 s doubling up to {@link #RETRY_CAP}. The SDK's
   * default gives up after 5 attempts (about 18 s) and then waits for the next event, so an app
   * whose reconciles failed while etcd restarted slept until something else touched it (seen in
   * the chaos run: one rollout stalled for 4 minutes after an etcd restart).
   */
  static GenericRetry retry() {
    return new GenericRetry().withoutMaxAttempts().setInitialInterval(1000)
        .setIntervalMultiplier(2).setMaxInterval(RETRY_CAP.toMillis());
  }

  /** The longest wait between two retries of a failing reconcile. */
  static final Duration RETRY_CAP = Duration.ofSeconds(30);

  /**
   * Registers the BatonApp controller.
   *
   * @param reconciles the pool the operator was configured with
   *     ({@code withExecutorService}); the controller's informers mark urgent apps in it
   */
  public static void register(Operator operator, KubernetesClient client, OperatorSettings settings,
      BatonMetrics metrics, UrgentFirstExecutor reconciles) {
    register(operator, client, settings, metrics, reconciles, ShardScope.whole());
  }

  /**
   * Registers the BatonApp controller for one shard of the apps.
   *
   * @return the reconciler, to {@link BatonAppReconciler#close() close} when the shard stops
   */
  public static BatonAppReconciler register(Operator operator, KubernetesClient client,
      OperatorSettings settings, BatonMetrics metrics, UrgentFirstExecutor reconciles,
      ShardScope scope) {
    WebhookNotifier notifier = new WebhookNotifier(client, metrics, settings.webhook(),
        Clock.systemUTC());
    BatonAppReconciler reconciler = new BatonAppReconciler(client, Clock.systemUTC(), metrics,
        notifier, reconciles::markUrgent, scope);
    operator.register(reconciler,
        override -> {
      if (scope.sharded()) {
        // Every BatonApp is watched (the shard is a label or a hash of the name: no selector
        // can say it), but only this shard's are kept whole and reconciled.
        override.withItemStore(ForeignPlaceholderStore.<BatonApp>of(scope::owns, BatonApp::new));
        override.withGenericFilter(scope::owns);
      }
      // A change of the app's status alone is Baton's own write: no reconcile (EventFilters).
      override.withOnUpdateFilter(EventFilters.changed("BatonApp", EventFilters::appKey, metrics));
      override.withRetry(retry());
      override.withReconciliationMaxInterval(RESYNC);
      if (!settings.watchNamespaces().isEmpty()) {
        override.settingNamespaces(settings.watchNamespaces());
      }
    });
    return reconciler;
  }
}
