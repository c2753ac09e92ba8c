package dev.baton.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;

/** Registers Baton's controllers with an operator; shared by main and the integration tests. */
public final class Controllers {

  private Controllers() {}

  public static void register(Operator operator, KubernetesClient client, OperatorSettings settings) {
    operator.register(new BatonAppReconciler(client, Clock.systemUTC()), override -> {
      if (!settings.watchNamespaces().isEmpty()) {
        override.settingNamespaces(settings.watchNamespaces());
      }
    });
  }
}
