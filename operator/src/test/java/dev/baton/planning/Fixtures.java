package dev.baton.planning;

import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.BlueGreenSpec;
import dev.baton.api.v1alpha1.ServiceSpec;
import dev.baton.api.v1alpha1.StrategySpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Builders for planner tests: specs, versions and snapshots without any client. */
final class Fixtures {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private Fixtures() {}

  static PodTemplateSpec template(String image) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata().addToLabels("app", "shop").endMetadata()
        .withNewSpec().addNewContainer().withName("api").withImage(image)
        .addNewPort().withName("http").withContainerPort(8080).endPort()
        .endContainer().endSpec()
        .build();
  }

  static BatonAppSpec spec(int replicas, String image) {
    BatonAppSpec spec = new BatonAppSpec();
    spec.replicas = replicas;
    spec.template = template(image);
    spec.service = new ServiceSpec();
    spec.service.port = 80;
    spec.service.targetPort = new io.fabric8.kubernetes.api.model.IntOrString("http");
    spec.strategy = new StrategySpec();
    spec.strategy.blueGreen = new BlueGreenSpec();
    spec.strategy.blueGreen.scaleDownDelaySeconds = 30;
    spec.progressDeadlineSeconds = 600;
    return spec;
  }

  /** A version at the given size, fully rolled out with {@code available} pods available. */
  static VersionState version(String hash, int revision, int replicas, int available,
      Bookkeeping bookkeeping) {
    return new VersionState(hash, revision, replicas, available, available, true, bookkeeping,
        "");
  }

  /** A version nothing is remembered of yet. */
  static VersionState version(String hash, int revision, int replicas, int available) {
    return version(hash, revision, replicas, available, Bookkeeping.NONE);
  }

  /** Why the version was aborted, if it was. */
  static Optional<String> abortReason(Bookkeeping b) {
    return b.aborted().map(Bookkeeping.Abort::reason);
  }

  /** The explanation of its abort, if it was aborted. */
  static Optional<String> abortMessage(Bookkeeping b) {
    return b.aborted().map(Bookkeeping.Abort::message);
  }

  /** When it was aborted, if it was. */
  static Optional<Instant> abortedAt(Bookkeeping b) {
    return b.aborted().flatMap(Bookkeeping.Abort::at);
  }

  /** A snapshot builder. */
  static final class SnapshotBuilder {
    BatonAppSpec spec;
    String targetHash;
    final Map<String, VersionState> versions = new LinkedHashMap<>();
    String active;
    Commands commands = Commands.NONE;
    Instant now = T0;
    int nextRevision;
    final java.util.List<StoredRevision> stored = new java.util.ArrayList<>();
    RollbackPin pin;
    String reportedInvalid;
    TrafficObservation traffic = TrafficObservation.NONE;
    AnalysisInputs analysis = AnalysisInputs.NONE;
    Snapshot.Recorded lastRecorded;

    SnapshotBuilder(BatonAppSpec spec, String targetHash) {
      this.spec = spec;
      this.targetHash = targetHash;
    }

    SnapshotBuilder with(VersionState v) {
      versions.put(v.hash(), v);
      return this;
    }

    SnapshotBuilder stored(int revision, String hash, String image) {
      stored.add(new StoredRevision(revision, hash, template(image)));
      return this;
    }

    /** The newest entry of status.history numbers this hash. */
    SnapshotBuilder recorded(int revision, String hash) {
      this.lastRecorded = new Snapshot.Recorded(revision, hash);
      return this;
    }

    SnapshotBuilder pin(RollbackPin pin) {
      this.pin = pin;
      return this;
    }

    SnapshotBuilder reportedInvalid(String message) {
      this.reportedInvalid = message;
      return this;
    }

    SnapshotBuilder active(String hash) {
      this.active = hash;
      return this;
    }

    SnapshotBuilder traffic(TrafficObservation traffic) {
      this.traffic = traffic;
      return this;
    }

    /** The provider's objects hold this weight, read back. */
    SnapshotBuilder weight(int weight) {
      return traffic(new TrafficObservation(Optional.of(weight), traffic.wide(),
          traffic.present(), ""));
    }

    /** The EndpointSlice controller lists this many ready endpoints behind the preview Service. */
    SnapshotBuilder previewEndpoints(int ready) {
      return traffic(new TrafficObservation(traffic.weight(), traffic.wide(), traffic.present(),
          traffic.pending(), traffic.currentSince(), java.util.OptionalInt.of(ready)));
    }

    /** Provider none: the active Service spans both versions. */
    SnapshotBuilder wide(boolean wide) {
      return traffic(new TrafficObservation(traffic.weight(), wide, traffic.present(), ""));
    }

    SnapshotBuilder analysis(AnalysisInputs analysis) {
      this.analysis = analysis;
      return this;
    }

    SnapshotBuilder at(Instant now) {
      this.now = now;
      return this;
    }

    SnapshotBuilder commands(Commands commands) {
      this.commands = commands;
      return this;
    }

    Snapshot build() {
      AppSettings app = AppSettings.of("shop", "ns", 1, spec);
      int newest = Math.max(
          versions.values().stream().mapToInt(VersionState::revision).max().orElse(0),
          stored.stream().mapToInt(StoredRevision::revision).max().orElse(0));
      return new Snapshot(app, new Snapshot.Target(targetHash, spec.template),
          nextRevision > 0 ? nextRevision : newest + 1, versions, stored,
          Optional.ofNullable(pin), Optional.ofNullable(active), SpecValidator.problem(app, name -> Optional.empty()),
          Optional.ofNullable(reportedInvalid), commands, now, traffic, analysis,
          Optional.ofNullable(lastRecorded));
    }
  }

  static SnapshotBuilder snapshot(BatonAppSpec spec, String targetHash) {
    return new SnapshotBuilder(spec, targetHash);
  }
}
