package dev.baton.operator;

import dev.baton.observe.EventFilters;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;

/** Registers Baton's controllers with an operator; shared by main and the integration tests. */
public final class Controllers {

  private Controllers() {}

  /**
   * Registers the BatonApp controller.
   *
   * @param reconciles the pool the operator was configured with
   *     ({@code withExecutorService}); the controller's informers mark urgent apps in it
   */
  public static void register(Operator operator, KubernetesClient client, OperatorSettings settings,
      BatonMetrics metrics, UrgentFirstExecutor reconciles) {
    WebhookNotifier notifier = new WebhookNotifier(client, metrics, settings.webhook(),
        Clock.systemUTC());
    operator.register(new BatonAppReconciler(client, Clock.systemUTC(), metrics, notifier,
        reconciles::markUrgent),
        override -> {
      // A change of the app's status alone is Baton's own write: no reconcile (EventFilters).
      override.withOnUpdateFilter(EventFilters.changed("BatonApp", EventFilters::appKey, metrics));
      if (!settings.watchNamespaces().isEmpty()) {
        override.settingNamespaces(settings.watchNamespaces());
      }
    });
  }
}
