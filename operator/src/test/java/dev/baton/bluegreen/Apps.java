package dev.baton.bluegreen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.argocd.ArgoCdHealth;
import dev.baton.planning.Labels;
import dev.baton.testcluster.CapacityWatcher;
import dev.baton.testcluster.ClusterFiles;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Helpers for BatonApp integration tests (shared by other test packages). */
public final class Apps {

  public static final Duration TIMEOUT = Duration.ofSeconds(90);

  private Apps() {}

  /** The README's example, renamed, with short delays for tests. */
  public static BatonApp example(KubernetesClient client, String name) {
    BatonApp app = ClusterFiles.load(client, "examples/blue-green.yaml", BatonApp.class);
    app.getMetadata().setName(name);
    app.getSpec().strategy.blueGreen.scaleDownDelaySeconds = 2;
    app.getSpec().progressDeadlineSeconds = 60;
    return app;
  }

  /** Creates an app, waits until it is Healthy and serving, and starts watching its capacity. */
  public static CapacityWatcher deployHealthy(KubernetesClient client, BatonApp app) {
    client.resource(app).create();
    String name = app.getMetadata().getName();
    awaitPhase(client, name, Phase.Healthy);
    CapacityWatcher watcher = new CapacityWatcher(client, name, app.getSpec().replicas);
    await().atMost(TIMEOUT).until(() -> watcher.readyEndpoints() >= app.getSpec().replicas);
    watcher.arm();
    return watcher;
  }

  public static List<Deployment> deploymentsOf(KubernetesClient client, String app) {
    return client.apps().deployments().withLabel(Labels.APP, app).list().getItems();
  }

  public static Resource<BatonApp> resource(KubernetesClient client, String name) {
    return client.resources(BatonApp.class).withName(name);
  }

  public static BatonApp get(KubernetesClient client, String name) {
    return resource(client, name).get();
  }

  /** Waits until the app's status passes {@code test}; returns the object that passed it. */
  public static BatonApp awaitStatus(KubernetesClient client, String name, Predicate<BatonApp> test) {
    return awaitStatus(client, name, test, TIMEOUT);
  }

  /** As {@link #awaitStatus(KubernetesClient, String, Predicate)}, for at most {@code within}. */
  public static BatonApp awaitStatus(KubernetesClient client, String name, Predicate<BatonApp> test,
      Duration within) {
    // The object that passed, not a later read: the status may have moved on meanwhile.
    java.util.concurrent.atomic.AtomicReference<BatonApp> passed =
        new java.util.concurrent.atomic.AtomicReference<>();
    await().atMost(within).pollInterval(Duration.ofMillis(200))
        .until(() -> {
          BatonApp app = get(client, name);
          boolean ok = app != null && app.getStatus() != null && test.test(app);
          if (ok) {
            passed.set(app);
          }
          return ok;
        });
    return passed.get();
  }

  /**
   * Waits for a phase of the current generation, then checks that Argo CD's health check (the
   * chart's Lua script, in gopher-lua as Argo CD runs it) reads this live status as it should.
   */
  public static BatonApp awaitPhase(KubernetesClient client, String name, Phase phase) {
    BatonApp app = awaitStatus(client, name, a -> a.getStatus().phase == phase
        && a.getStatus().observedGeneration != null
        && a.getStatus().observedGeneration.equals(a.getMetadata().getGeneration()));
    ArgoCdHealth.Result health = ArgoCdHealth.ofLiveObject(
        client.getKubernetesSerialization().asJson(app));
    assertThat(health.status()).as("Argo CD health of %s in phase %s: %s", name, phase,
        health.message()).isEqualTo(ARGO_CD_HEALTH.get(phase));
    return app;
  }

  private static final Map<Phase, String> ARGO_CD_HEALTH = Map.of(
      Phase.Healthy, "Healthy", Phase.Progressing, "Progressing", Phase.Paused, "Suspended",
      Phase.Degraded, "Degraded", Phase.Aborted, "Degraded");

  public static Optional<Condition> condition(BatonApp app, String type) {
    return app.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static void setImage(KubernetesClient client, String name, String image) {
    edit(client, name, a -> a.getSpec().template.getSpec().getContainers().get(0).setImage(image));
  }

  /** Edits with optimistic locking, retrying on a conflict (the operator writes status too). */
  public static void edit(KubernetesClient client, String name, Consumer<BatonApp> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        resource(client, name).edit(a -> {
          change.accept(a);
          return a;
        });
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  public static void annotate(KubernetesClient client, String name, String key, String value) {
    edit(client, name, a -> {
      if (a.getMetadata().getAnnotations() == null) {
        a.getMetadata().setAnnotations(new java.util.HashMap<>());
      }
      a.getMetadata().getAnnotations().put(key, value);
    });
  }

  public static void addPodLabels(BatonApp app, Map<String, String> labels) {
    app.getSpec().template.getMetadata().getLabels().putAll(labels);
  }
}
