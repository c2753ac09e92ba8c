package dev.baton.operator;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.RevisionRecord;
import dev.baton.planning.AppSettings;
import dev.baton.planning.Commands;
import dev.baton.planning.DesiredObjects;
import dev.baton.planning.Labels;
import dev.baton.planning.RevisionHasher;
import dev.baton.planning.Snapshot;
import dev.baton.planning.SpecValidator;
import dev.baton.planning.VersionState;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/** Builds a {@link Snapshot} of one BatonApp from the informer caches; never calls the API. */
final class SnapshotReader {

  private final ManagedInformers informers;
  private final Clock clock;

  SnapshotReader(ManagedInformers informers, Clock clock) {
    this.informers = informers;
    this.clock = clock;
  }

  Snapshot read(BatonApp app) {
    String name = app.getMetadata().getName();
    String namespace = app.getMetadata().getNamespace();
    AppSettings settings = AppSettings.of(name, namespace,
        Objects.requireNonNullElse(app.getMetadata().getGeneration(), 0L), app.getSpec());
    Optional<String> invalid = SpecValidator.problem(settings);

    Map<String, List<Pod>> podsByHash = informers.podsOf(namespace, name)
        .filter(p -> ManagedInformers.label(p, Labels.REVISION_HASH) != null)
        .collect(Collectors.groupingBy(p -> ManagedInformers.label(p, Labels.REVISION_HASH)));
    Map<String, VersionState> versions = new HashMap<>();
    informers.deploymentsOf(namespace, name).forEach(d -> {
      String hash = ManagedInformers.label(d, Labels.REVISION_HASH);
      if (hash != null && d.getMetadata().getDeletionTimestamp() == null) {
        versions.put(hash, versionOf(hash, d, podsByHash.getOrDefault(hash, List.of())));
      }
    });

    int newest = versions.values().stream().mapToInt(VersionState::revision).max().orElse(0);
    if (app.getStatus() != null && app.getStatus().history != null) {
      newest = Math.max(newest, app.getStatus().history.stream()
          .map(r -> r.revision).filter(Objects::nonNull).mapToInt(Integer::intValue).max()
          .orElse(0));
    }
    Snapshot.Target target = invalid.isPresent()
        ? new Snapshot.Target("", settings.template())
        : new Snapshot.Target(RevisionHasher.hash(settings.template()), settings.template());
    int targetRevision = versions.containsKey(target.hash())
        ? versions.get(target.hash()).revision()
        : knownRevision(app, target.hash()).orElse(newest + 1);

    Optional<String> activeHash = informers.service(namespace,
            DesiredObjects.activeServiceName(name))
        .map(s -> s.getSpec().getSelector())
        .map(sel -> sel.get(Labels.REVISION_HASH));

    return new Snapshot(settings, target, targetRevision, versions, activeHash, invalid,
        Commands.from(app.getMetadata().getAnnotations()), clock.instant());
  }

  /** A revision seen before (in status history) keeps its number when it comes back. */
  private static Optional<Integer> knownRevision(BatonApp app, String hash) {
    if (app.getStatus() == null || app.getStatus().history == null) {
      return Optional.empty();
    }
    return app.getStatus().history.stream().filter(r -> hash.equals(r.hash))
        .map((RevisionRecord r) -> r.revision).filter(Objects::nonNull).findFirst();
  }

  private static VersionState versionOf(String hash, Deployment d, List<Pod> pods) {
    DeploymentStatus st = d.getStatus() != null ? d.getStatus() : new DeploymentStatus();
    int spec = Objects.requireNonNullElse(d.getSpec().getReplicas(), 1);
    long generation = Objects.requireNonNullElse(d.getMetadata().getGeneration(), 0L);
    long observed = Objects.requireNonNullElse(st.getObservedGeneration(), 0L);
    int updated = Objects.requireNonNullElse(st.getUpdatedReplicas(), 0);
    int total = Objects.requireNonNullElse(st.getReplicas(), 0);
    boolean rolledOut = observed >= generation && updated == spec && total == spec;
    Map<String, String> annotations = new HashMap<>();
    if (d.getMetadata().getAnnotations() != null) {
      d.getMetadata().getAnnotations().forEach((k, v) -> {
        if (k.startsWith("baton.dev/")) {
          annotations.put(k, v);
        }
      });
    }
    int revision = 0;
    try {
      revision = Integer.parseInt(annotations.getOrDefault(Labels.REVISION, "0"));
    } catch (NumberFormatException ignored) {
      // a hand-edited annotation: treat as unknown
    }
    return new VersionState(hash, revision, spec,
        Objects.requireNonNullElse(st.getReadyReplicas(), 0),
        Objects.requireNonNullElse(st.getAvailableReplicas(), 0),
        rolledOut, annotations, PodProblems.summarise(pods));
  }
}
