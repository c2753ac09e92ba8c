package dev.baton.render;

import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.BlueGreenSpec;
import dev.baton.api.v1alpha1.CanarySpec;
import dev.baton.api.v1alpha1.CanaryStep;
import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.api.v1alpha1.RollingSpec;
import dev.baton.api.v1alpha1.ServiceSpec;
import dev.baton.api.v1alpha1.StrategySpec;
import dev.baton.planning.AnalysisPlan;
import dev.baton.planning.AppSettings;
import dev.baton.planning.Commands;
import dev.baton.planning.Bookkeeping;
import dev.baton.planning.DesiredVersion;
import dev.baton.planning.Plan;
import dev.baton.planning.Snapshot;
import dev.baton.planning.StoredRevision;
import dev.baton.planning.TrafficObservation;
import dev.baton.planning.TrafficPlan;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Specs, snapshots and plans for renderer tests, built directly (the renderer reads a plan, it
 * does not make one). Versions are made in {@link #version} only, so a change of
 * {@link DesiredVersion}'s shape is one edit here.
 */
final class RenderFixtures {

  static final OwnerReference OWNER = new OwnerReferenceBuilder().withApiVersion("baton.dev/v1alpha1")
      .withKind("BatonApp").withName("shop").withUid("uid-1").withController(true).build();

  private RenderFixtures() {}

  static PodTemplateSpec template(String image) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata().addToLabels("app", "shop").endMetadata()
        .withNewSpec().addNewContainer().withName("api").withImage(image).endContainer().endSpec()
        .build();
  }

  /** A spec of the strategy and provider; image "shop:2" is the target. */
  static BatonAppSpec spec(AppSettings.Strategy strategy, IngressSpec.Provider provider) {
    BatonAppSpec spec = new BatonAppSpec();
    spec.replicas = 4;
    spec.template = template("shop:2");
    spec.service = new ServiceSpec();
    spec.service.port = 80;
    spec.strategy = new StrategySpec();
    switch (strategy) {
      case BLUE_GREEN -> spec.strategy.blueGreen = new BlueGreenSpec();
      case CANARY -> {
        spec.strategy.canary = new CanarySpec();
        spec.strategy.canary.steps = List.of(CanaryStep.weight(25), CanaryStep.pauseFor(null));
      }
      case ROLLING -> spec.strategy.rolling = new RollingSpec();
    }
    spec.ingress = new IngressSpec();
    spec.ingress.provider = provider;
    spec.ingress.host = "shop.example.com";
    if (provider == IngressSpec.Provider.gatewayAPI) {
      spec.ingress.gatewayAPI = new IngressSpec.GatewayApiSpec();
      IngressSpec.ParentRef ref = new IngressSpec.ParentRef();
      ref.name = "web";
      spec.ingress.gatewayAPI.parentRefs = List.of(ref);
    }
    return spec;
  }

  static Snapshot snapshot(BatonAppSpec spec, String targetHash, StoredRevision... stored) {
    return new Snapshot(AppSettings.of("shop", "ns", 1, spec),
        new Snapshot.Target(targetHash, spec.template), 3, Map.of(), List.of(stored),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Commands.NONE,
        Instant.parse("2026-01-01T00:00:00Z"), TrafficObservation.NONE);
  }

  /** A kept version with no bookkeeping. */
  static DesiredVersion version(String hash, int revision, int replicas) {
    return new DesiredVersion(hash, revision, replicas, Bookkeeping.NONE, null);
  }

  /** The rolling Deployment, kept with {@code templateHash} in its pod template. */
  static DesiredVersion version(String hash, int revision, int replicas, String templateHash) {
    return new DesiredVersion(hash, revision, replicas,
        Bookkeeping.NONE.withTemplateHash(java.util.Optional.of(templateHash)), null);
  }

  /** A plan builder with the fields the renderer reads. */
  static final class PlanBuilder {
    final Snapshot snapshot;
    final List<DesiredVersion> versions = new ArrayList<>();
    final List<String> deleteVersions = new ArrayList<>();
    final List<StoredRevision> store = new ArrayList<>();
    final List<String> deleteRevisions = new ArrayList<>();
    Optional<String> active = Optional.empty();
    Optional<String> preview = Optional.empty();
    Optional<String> promoted = Optional.empty();
    int weight;
    boolean wide;
    Set<IngressSpec.Provider> remove = Set.of();
    AnalysisPlan analysis = AnalysisPlan.NONE;
    boolean hold;

    PlanBuilder(Snapshot snapshot) {
      this.snapshot = snapshot;
    }

    private <T> PlanBuilder add(List<T> list, T item) {
      list.add(item);
      return this;
    }

    PlanBuilder keep(DesiredVersion v) {
      return add(versions, v);
    }

    PlanBuilder retire(String hash) {
      return add(deleteVersions, hash);
    }

    PlanBuilder services(String active, String preview) {
      this.active = Optional.ofNullable(active);
      this.preview = Optional.ofNullable(preview);
      return this;
    }

    /** The plan moves the active Service to this version. */
    PlanBuilder promote(String hash) {
      this.promoted = Optional.of(hash);
      return this;
    }

    PlanBuilder weight(int weight, boolean wide) {
      this.weight = weight;
      this.wide = wide;
      return this;
    }

    PlanBuilder remove(IngressSpec.Provider... providers) {
      this.remove = Set.of(providers);
      return this;
    }

    PlanBuilder store(StoredRevision r) {
      return add(store, r);
    }

    PlanBuilder dropRevision(String hash) {
      return add(deleteRevisions, hash);
    }

    PlanBuilder analysis(AnalysisPlan analysis) {
      this.analysis = analysis;
      return this;
    }

    PlanBuilder hold() {
      this.hold = true;
      return this;
    }

    Plan build() {
      Plan.Outcome outcome = new Plan.Outcome(Phase.Progressing, "", List.of(), active,
          preview, promoted, Optional.empty(), null);
      return new Plan(hold, snapshot.specTarget(), Optional.empty(), store, deleteRevisions,
          versions, deleteVersions, active, preview, outcome, List.of(), Optional.empty(), false,
          false, new TrafficPlan(weight, wide, remove, Optional.empty(), weight), analysis);
    }
  }

  static PlanBuilder plan(Snapshot snapshot) {
    return new PlanBuilder(snapshot);
  }
}
