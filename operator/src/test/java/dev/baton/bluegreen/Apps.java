package dev.baton.bluegreen;

import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.testcluster.ClusterFiles;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Helpers for BatonApp integration tests. */
final class Apps {

  static final Duration TIMEOUT = Duration.ofSeconds(90);

  private Apps() {}

  /** The README's example, renamed, with short delays for tests. */
  static BatonApp example(KubernetesClient client, String name) {
    BatonApp app = ClusterFiles.load(client, "examples/blue-green.yaml", BatonApp.class);
    app.getMetadata().setName(name);
    app.getSpec().strategy.blueGreen.scaleDownDelaySeconds = 2;
    app.getSpec().progressDeadlineSeconds = 60;
    return app;
  }

  static Resource<BatonApp> resource(KubernetesClient client, String name) {
    return client.resources(BatonApp.class).withName(name);
  }

  static BatonApp get(KubernetesClient client, String name) {
    return resource(client, name).get();
  }

  static BatonApp awaitStatus(KubernetesClient client, String name, Predicate<BatonApp> test) {
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
        .until(() -> {
          BatonApp app = get(client, name);
          return app != null && app.getStatus() != null && test.test(app);
        });
    return get(client, name);
  }

  static BatonApp awaitPhase(KubernetesClient client, String name, Phase phase) {
    return awaitStatus(client, name, a -> a.getStatus().phase == phase
        && a.getStatus().observedGeneration != null
        && a.getStatus().observedGeneration.equals(a.getMetadata().getGeneration()));
  }

  static Optional<Condition> condition(BatonApp app, String type) {
    return app.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  static void setImage(KubernetesClient client, String name, String image) {
    edit(client, name, a -> a.getSpec().template.getSpec().getContainers().get(0).setImage(image));
  }

  static void edit(KubernetesClient client, String name, Consumer<BatonApp> change) {
    resource(client, name).edit(a -> {
      change.accept(a);
      return a;
    });
  }

  static void annotate(KubernetesClient client, String name, String key, String value) {
    edit(client, name, a -> {
      if (a.getMetadata().getAnnotations() == null) {
        a.getMetadata().setAnnotations(new java.util.HashMap<>());
      }
      a.getMetadata().getAnnotations().put(key, value);
    });
  }

  static void addPodLabels(BatonApp app, Map<String, String> labels) {
    app.getSpec().template.getMetadata().getLabels().putAll(labels);
  }
}
