package dev.baton.cli;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.BatonAppStatus;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.api.v1alpha1.RevisionRecord;
import dev.baton.planning.Labels;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import java.util.Map;

/** Model objects as the cluster would show them, for rendering tests without a cluster. */
final class Fixtures {

  static final String CREATED = "2026-11-20T10:00:00Z";

  private Fixtures() {}

  static BatonApp app(String namespace, String name, Phase phase, Integer active, Integer preview) {
    BatonApp app = new BatonApp();
    app.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name)
        .withGeneration(1L).withCreationTimestamp(CREATED).build());
    app.setSpec(new BatonAppSpec());
    BatonAppStatus s = new BatonAppStatus();
    s.observedGeneration = 1L;
    s.phase = phase;
    s.activeRevision = active;
    s.previewRevision = preview;
    s.ready = "3/3";
    app.setStatus(s);
    return app;
  }

  static RevisionRecord revision(int number, String hash, String image) {
    RevisionRecord r = new RevisionRecord();
    r.revision = number;
    r.hash = hash;
    r.images = List.of(image);
    return r;
  }

  static void condition(BatonApp app, String type, String status, String reason, String message) {
    app.getStatus().conditions.add(new ConditionBuilder().withType(type).withStatus(status)
        .withReason(reason).withMessage(message).build());
  }

  static Deployment deployment(String app, String hash, int revision, String image, int desired,
      int ready) {
    return new DeploymentBuilder()
        .withNewMetadata().withName(app + "-" + hash)
        .withLabels(Map.of(Labels.APP, app, Labels.REVISION_HASH, hash,
            Labels.REVISION, Integer.toString(revision))).endMetadata()
        .withNewSpec().withReplicas(desired).withNewTemplate().withNewSpec()
        .addNewContainer().withName("api").withImage(image).endContainer()
        .endSpec().endTemplate().endSpec()
        .withNewStatus().withReadyReplicas(ready).endStatus()
        .build();
  }

  static Service service(String name, String app, String hash) {
    return new ServiceBuilder().withNewMetadata().withName(name)
        .withLabels(Map.of(Labels.APP, app)).endMetadata()
        .withNewSpec().withSelector(Map.of(Labels.APP, app, Labels.REVISION_HASH, hash)).endSpec()
        .build();
  }

  static Pod pod(String app, String hash, int index, boolean ready) {
    return new PodBuilder().withNewMetadata().withName(app + "-" + hash + "-" + index)
        .withLabels(Map.of(Labels.APP, app, Labels.REVISION_HASH, hash)).endMetadata()
        .withNewStatus().addNewCondition().withType("Ready")
        .withStatus(ready ? "True" : "False").endCondition().endStatus()
        .build();
  }
}
