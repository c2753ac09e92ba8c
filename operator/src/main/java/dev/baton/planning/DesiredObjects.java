package dev.baton.planning;

import dev.baton.api.ObjectNames;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds the child objects a plan asks for, exactly as Baton applies them. Each carries
 * {@link Labels#APPLIED}, a hash of its own content, so that an unchanged plan writes nothing.
 */
public final class DesiredObjects {

  private DesiredObjects() {}

  /**
   * Name of the Deployment of one version: {@code <app>-<hash>}, or {@code <app>} for the rolling
   * strategy's one Deployment ({@link Labels#ROLLING}).
   */
  public static String deploymentName(String app, String hash) {
    return ObjectNames.deploymentName(app, hash);
  }

  /** Name of the active Service (the app's own name, so clients keep using it). */
  public static String activeServiceName(String app) {
    return ObjectNames.activeServiceName(app);
  }

  /** Name of the preview Service. */
  public static String previewServiceName(String app) {
    return ObjectNames.previewServiceName(app);
  }

  /** Label selector of all of an app's pods, for status.selector. */
  public static String appSelector(String app) {
    return Labels.APP + "=" + app;
  }

  /**
   * The Deployment of one version.
   *
   * @param template the revision's pod template as the user wrote it (Baton adds its labels)
   */
  public static Deployment deployment(AppSettings app, OwnerReference owner, DesiredVersion v,
      PodTemplateSpec template) {
    if (Labels.ROLLING.equals(v.hash())) {
      return rollingDeployment(app, owner, v, template);
    }
    Deployment d = base(app, owner, v, template, versionLabels(app.name(), v.hash()), Map.of());
    // The revision of a per-revision Deployment never changes: an immutable label, like its hash.
    d.getMetadata().getLabels().put(Labels.REVISION, Integer.toString(v.revision()));
    d.getSpec().setRevisionHistoryLimit(1);
    // A restart of the live version replaces pods without ever dropping below full size.
    d.getSpec().getStrategy().getRollingUpdate().setMaxSurge(new IntOrString("25%"));
    d.getSpec().getStrategy().getRollingUpdate().setMaxUnavailable(new IntOrString(0));
    return stamped(d);
  }

  /**
   * What every Baton Deployment has: name, Baton's labels on it, its selector and its pods, the
   * owner, size, minReadySeconds and a RollingUpdate strategy whose bounds the caller sets. No
   * bookkeeping: that is in the BatonApp's status ({@link RolloutRecord}), so that a Deployment is
   * written only when its size, template or paused flag changes (an annotation change would bump
   * its generation and cost a controller round trip).
   */
  private static Deployment base(AppSettings app, OwnerReference owner, DesiredVersion v,
      PodTemplateSpec template, Map<String, String> selector, Map<String, String> podLabels) {
    PodTemplateSpecBuilder pod = new PodTemplateSpecBuilder(template)
        .editOrNewMetadata().addToLabels(selector).addToLabels(podLabels).endMetadata();
    if (v.restartedAt() != null) {
      pod.editMetadata().addToAnnotations(Labels.RESTARTED_AT, v.restartedAt()).endMetadata();
    }
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(deploymentName(app.name(), v.hash()))
        .withNamespace(app.namespace())
        .withLabels(new LinkedHashMap<>(selector))
        .withOwnerReferences(owner)
        .endMetadata()
        .withNewSpec()
        .withReplicas(v.replicas())
        .withNewSelector().withMatchLabels(selector).endSelector()
        .withTemplate(pod.build())
        .withMinReadySeconds(app.minReadySeconds())
        .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate().endRollingUpdate()
        .endStrategy()
        .endSpec()
        .build();
  }

  /**
   * The rolling strategy's one Deployment, {@code <app>}: its selector and its pods' Baton labels
   * are the same for every template (so the active Service keeps selecting old and new pods while
   * they mix), plus {@link Labels#TEMPLATE_HASH} naming the revision a pod runs. The Deployment
   * controller rolls a new template within the app's maxSurge/maxUnavailable; Baton pauses it
   * through {@code spec.paused} ({@link Bookkeeping#paused()}).
   *
   * @param template the revision's pod template as the user wrote it, or the Deployment's current
   *     one when the plan keeps it (Baton's labels are added again, unchanged)
   */
  public static Deployment rollingDeployment(AppSettings app, OwnerReference owner,
      DesiredVersion v, PodTemplateSpec template) {
    Deployment d = base(app, owner, v, template, versionLabels(app.name(), Labels.ROLLING),
        v.bookkeeping().templateHash().map(h -> Map.of(Labels.TEMPLATE_HASH, h))
            .orElse(Map.of()));
    d.getSpec().setPaused(v.bookkeeping().paused());
    // The Deployment's own deadline only sets its condition; Baton's decides the abort.
    d.getSpec().setProgressDeadlineSeconds((int) app.progressDeadline().toSeconds());
    // The previous ReplicaSet is what an abort scales back up.
    d.getSpec().setRevisionHistoryLimit(2);
    d.getSpec().getStrategy().getRollingUpdate().setMaxSurge(app.maxSurge());
    d.getSpec().getStrategy().getRollingUpdate().setMaxUnavailable(app.maxUnavailable());
    return stamped(d);
  }

  /**
   * The pod template to write into a kept version's Deployment, as it was first applied: the
   * target's, or an earlier revision's from the history (an older version, or the rolling
   * Deployment rolled back on abort). For the rolling Deployment the revision is the one its
   * {@link Bookkeeping#templateHash()} names. Empty when there is none (the rolling Deployment
   * keeps its current template, or the history no longer holds the revision): the applier then
   * keeps the Deployment's own.
   */
  public static Optional<PodTemplateSpec> templateOf(DesiredVersion v, Snapshot.Target target,
      List<StoredRevision> stored) {
    String hash = Labels.ROLLING.equals(v.hash())
        ? v.bookkeeping().templateHash().orElse(null) : v.hash();
    if (hash == null) {
      return Optional.empty();
    }
    if (hash.equals(target.hash())) {
      return Optional.ofNullable(target.template());
    }
    // Not the cached template: its server-side defaults give another digest, and so a needless
    // write (and generation bump) of an older version at the start of every rollout.
    return stored.stream().filter(r -> r.hash().equals(hash)).map(StoredRevision::template)
        .findFirst();
  }

  /** Name of the ControllerRevision that keeps one revision's template. */
  public static String revisionName(String app, String hash) {
    return ObjectNames.revisionName(app, hash);
  }

  /** The ControllerRevision keeping a revision's pod template for undo. */
  public static ControllerRevision controllerRevision(AppSettings app, OwnerReference owner,
      StoredRevision revision) {
    return new ControllerRevisionBuilder()
        .withNewMetadata()
        .withName(revisionName(app.name(), revision.hash()))
        .withNamespace(app.namespace())
        .withLabels(versionLabels(app.name(), revision.hash()))
        .withOwnerReferences(owner)
        .endMetadata()
        .withRevision((long) revision.revision())
        .withData(Map.of(TEMPLATE_KEY, revision.template()))
        .build();
  }

  /** The key of the pod template inside a ControllerRevision's data. */
  public static final String TEMPLATE_KEY = "template";

  /** The active Service, selecting the live version's pods. */
  public static Service activeService(AppSettings app, OwnerReference owner, String hash) {
    return activeService(app, owner, hash, false);
  }

  /**
   * The active Service. With {@code wide} it selects every pod of the app (both versions of a
   * canary without an ingress provider); the live version's hash stays in an annotation.
   */
  public static Service activeService(AppSettings app, OwnerReference owner, String hash,
      boolean wide) {
    Service s = service(app, owner, activeServiceName(app.name()), "active", hash,
        app.serviceType().name());
    s.getMetadata().getAnnotations().put(Labels.STABLE_HASH, hash);
    if (wide) {
      s.getSpec().setSelector(Map.of(Labels.APP, app.name()));
    }
    return stamped(s);
  }

  /** The {@link Labels#ROLE} of the preview Service (and of the controller's slices of it). */
  public static final String PREVIEW_ROLE = "preview";

  /** The preview Service, selecting the new version's pods (or the live one's when idle). */
  public static Service previewService(AppSettings app, OwnerReference owner, String hash) {
    return service(app, owner, previewServiceName(app.name()), PREVIEW_ROLE, hash, "ClusterIP");
  }

  private static Service service(AppSettings app, OwnerReference owner, String name, String role,
      String hash, String type) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.APP, app.name());
    labels.put(Labels.ROLE, role);
    Service s = new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(app.namespace())
        .withLabels(labels)
        .withOwnerReferences(owner)
        .endMetadata()
        .withNewSpec()
        .withType(type)
        .withSelector(versionLabels(app.name(), hash))
        .addNewPort()
        .withName("http")
        .withProtocol("TCP")
        .withPort(app.servicePort())
        .withTargetPort(app.targetPort())
        .endPort()
        .endSpec()
        .build();
    return stamped(s);
  }

  private static Map<String, String> versionLabels(String app, String hash) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.APP, app);
    labels.put(Labels.REVISION_HASH, hash);
    return labels;
  }

  /** Stamps {@link Labels#APPLIED}: a hash of the object as Baton applies it. */
  public static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T stamped(T object) {
    ObjectMeta meta = object.getMetadata();
    Map<String, String> annotations = new TreeMap<>(
        meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
    annotations.remove(Labels.APPLIED);
    meta.setAnnotations(annotations);
    String hash = RevisionHasher.hash(object);
    annotations.put(Labels.APPLIED, hash);
    return object;
  }
}
