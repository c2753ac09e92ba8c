package dev.baton.traffic;

import static dev.baton.bluegreen.Apps.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.CanarySpec;
import dev.baton.api.v1alpha1.CanaryStep;
import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.api.v1alpha1.RolloutStatus;
import dev.baton.bluegreen.Apps;
import dev.baton.planning.Commands;
import dev.baton.planning.Labels;
import dev.baton.testcluster.InProcessOperator;
import dev.baton.testcluster.OperatorProcess;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import dev.baton.traffic.nginx.NginxProvider;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An upgrade of Baton in the middle of a rollout: the app is at a canary step under the layout of
 * the Baton before status.rollout (the step, its timers and the revision as annotations on the
 * Deployments, no status.rollout). The upgraded operator resumes at the same step from those
 * annotations, records them in status.rollout, and finishes the rollout; the canary's weight never
 * goes back to a lower step's.
 */
@ExtendWith(TestClusterExtension.class)
class UpgradeIT {

  private static final io.fabric8.kubernetes.client.utils.KubernetesSerialization JSON =
      new io.fabric8.kubernetes.client.utils.KubernetesSerialization();

  @Test
  void anAppMidStepUnderTheOldLayoutFinishesItsRolloutAfterTheUpgrade(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    InProcessOperator.installCrd(client);
    BatonApp app = TrafficApps.behind(client, "upgraded", IngressSpec.Provider.nginx);
    app.getSpec().strategy.blueGreen = null;
    app.getSpec().strategy.canary = new CanarySpec();
    app.getSpec().strategy.canary.scaleDownDelaySeconds = 2;
    app.getSpec().strategy.canary.steps = List.of(CanaryStep.weight(25), CanaryStep.pauseFor(null),
        CanaryStep.weight(50), CanaryStep.pauseFor(null));

    List<String> weights = new CopyOnWriteArrayList<>();
    try (OperatorProcess first = OperatorProcess.start(cluster, "upgrade-first")) {
      client.resource(app).create();
      Apps.awaitPhase(client, "upgraded", Phase.Healthy);
      Apps.setImage(client, "upgraded", "registry.example.com/shop/api:2");
      BatonApp atStep = Apps.awaitStatus(client, "upgraded", a -> a.getStatus().currentStep != null
          && a.getStatus().currentStep == 1 && a.getStatus().phase == Phase.Paused);
      await().atMost(TIMEOUT).until(() -> "25".equals(weight(client)));
      first.kill();
      toOldLayout(client, atStep);
    }

    var informer = client.network().v1().ingresses().withName("upgraded-canary")
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Ingress i) {
            record(i);
          }

          @Override
          public void onUpdate(Ingress before, Ingress after) {
            record(after);
          }

          @Override
          public void onDelete(Ingress i, boolean unknown) {}

          private void record(Ingress i) {
            String w = i.getMetadata().getAnnotations().get(NginxProvider.CANARY_WEIGHT);
            if (weights.isEmpty() || !weights.get(weights.size() - 1).equals(w)) {
              weights.add(w);
            }
          }
        });
    try (informer; OperatorProcess upgraded = OperatorProcess.start(cluster, "upgrade-second")) {
      // The upgraded operator records the rollout in status, at the step it found.
      BatonApp resumed = Apps.awaitStatus(client, "upgraded", a -> a.getStatus().rollout != null);
      assertThat(resumed.getStatus().rollout.step).isEqualTo(1);
      assertThat(resumed.getStatus().currentStep).isEqualTo(1);
      assertThat(weight(client)).isEqualTo("25");

      Apps.annotate(client, "upgraded", Commands.PROMOTE, "");
      Apps.awaitStatus(client, "upgraded", a -> a.getStatus().currentStep != null
          && a.getStatus().currentStep == 3 && a.getStatus().phase == Phase.Paused);
      assertThat(weight(client)).isEqualTo("50");
      Apps.annotate(client, "upgraded", Commands.PROMOTE, "full");
      BatonApp done = Apps.awaitStatus(client, "upgraded",
          a -> Integer.valueOf(2).equals(a.getStatus().activeRevision)
              && a.getStatus().phase == Phase.Healthy && a.getStatus().previewRevision == null);

      assertThat(done.getStatus().history.get(0).reason).isEqualTo("Promoted");
      await().atMost(TIMEOUT).until(() -> "0".equals(weight(client)));
      // 25 until promoted, 50, then all traffic to the new version through the active Service.
      assertThat(weights).as("the weight never went back to a lower step's")
          .containsExactly("25", "50", "0");
      assertThat(done.getStatus().rollout.targetHash).isEqualTo(done.getStatus().activeHash);
    }
  }

  private static String weight(KubernetesClient client) {
    Ingress canary = client.network().v1().ingresses().withName("upgraded-canary").get();
    return canary == null ? null
        : canary.getMetadata().getAnnotations().get(NginxProvider.CANARY_WEIGHT);
  }

  /**
   * Rewrites the app as the Baton before status.rollout left it: the rollout's bookkeeping as
   * annotations on the Deployments (the revision too, not a label), and no status.rollout.
   */
  private static void toOldLayout(KubernetesClient client, BatonApp app) {
    RolloutStatus r = app.getStatus().rollout;
    String live = app.getStatus().activeHash;
    for (var d : Apps.deploymentsOf(client, "upgraded")) {
      String hash = d.getMetadata().getLabels().get(Labels.REVISION_HASH);
      Map<String, Object> annotations = new LinkedHashMap<>();
      annotations.put(Labels.REVISION, d.getMetadata().getLabels().get(Labels.REVISION));
      if (hash.equals(live)) {
        annotations.put(Labels.PROMOTED_AT, app.getStatus().history.get(1).promotedAt);
      } else {
        annotations.put(Labels.STEP, Integer.toString(r.step));
        annotations.put(Labels.STEP_SINCE, r.stepSince);
        annotations.put(Labels.PROGRESS_SINCE, r.progressSince);
      }
      Map<String, Object> labels = new LinkedHashMap<>();
      labels.put(Labels.REVISION, null);
      client.apps().deployments().withName(d.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), JSON.asJson(Map.of("metadata",
              Map.of("annotations", annotations, "labels", labels))));
    }
    client.resources(BatonApp.class).withName("upgraded").subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"status\":{\"rollout\":null,\"retiring\":null}}");
    assertThat(client.resources(BatonApp.class).withName("upgraded").get().getStatus().rollout)
        .isNull();
  }
}
