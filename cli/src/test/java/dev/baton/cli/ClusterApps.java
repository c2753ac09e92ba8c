package dev.baton.cli;

import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.testcluster.ClusterFiles;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.function.Predicate;

/** BatonApps on the test cluster, for the plugin's integration tests. */
final class ClusterApps {

  static final Duration TIMEOUT = Duration.ofSeconds(90);

  private ClusterApps() {}

  /** The README's example, renamed, with short delays; waits until it is Healthy. */
  static BatonApp createHealthy(KubernetesClient client, String name, boolean autoPromotion) {
    BatonApp app = ClusterFiles.load(client, "examples/blue-green.yaml", BatonApp.class);
    app.getMetadata().setName(name);
    app.getSpec().strategy.blueGreen.autoPromotion = autoPromotion;
    app.getSpec().strategy.blueGreen.scaleDownDelaySeconds = 2;
    app.getSpec().progressDeadlineSeconds = 60;
    client.resource(app).create();
    return awaitStatus(client, name, a -> a.getStatus().phase == Phase.Healthy
        && a.getMetadata().getGeneration().equals(a.getStatus().observedGeneration));
  }

  static BatonApp get(KubernetesClient client, String name) {
    return client.resources(BatonApp.class).withName(name).get();
  }

  static BatonApp awaitStatus(KubernetesClient client, String name, Predicate<BatonApp> test) {
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
      BatonApp app = get(client, name);
      return app != null && app.getStatus() != null && test.test(app);
    });
    return get(client, name);
  }

  /** Starts a new revision by changing the image (a JSON patch: no conflict with status). */
  static void setImage(KubernetesClient client, String name, String image) {
    client.resources(BatonApp.class).withName(name).patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\","
            + "\"value\":\"" + image + "\"}]");
  }
}
