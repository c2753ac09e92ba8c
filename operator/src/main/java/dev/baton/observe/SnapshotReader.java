package dev.baton.observe;

import dev.baton.analysis.AnalysisValidator;
import dev.baton.analysis.BuiltInProxy;
import dev.baton.analysis.RunKey;
import dev.baton.analysis.provider.job.JobMeasurements;
import dev.baton.api.v1alpha1.AnalysisSpec;
import dev.baton.api.v1alpha1.BackgroundAnalysis;
import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.BlueGreenSpec;
import dev.baton.api.v1alpha1.BuiltInCheck;
import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.api.v1alpha1.StrategySpec;
import dev.baton.planning.AnalysisInputs;
import dev.baton.planning.AnalysisJob;
import dev.baton.planning.AppSettings;
import dev.baton.planning.BlueGreenPlanner;
import dev.baton.planning.Bookkeeping;
import dev.baton.planning.Commands;
import dev.baton.planning.ConfigReferences;
import dev.baton.planning.DatabaseTopology;
import dev.baton.planning.DesiredObjects;
import dev.baton.planning.Labels;
import dev.baton.planning.LegacyBookkeeping;
import dev.baton.planning.RevisionHasher;
import dev.baton.planning.RollbackPin;
import dev.baton.planning.RolloutRecord;
import dev.baton.planning.Snapshot;
import dev.baton.planning.SpecValidator;
import dev.baton.planning.StoredRevision;
import dev.baton.planning.TrafficObservation;
import dev.baton.planning.VersionState;
import dev.baton.traffic.TrafficProviders;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Builds a {@link Snapshot} of one BatonApp from the informer caches; never calls the API. */
public final class SnapshotReader {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  /** An analysis Job's run label: {@code r<revision>-a<attempt>-<step>}. */
  private static final Pattern RUN_LABEL = Pattern.compile("r([0-9]{1,9})-a([0-9]{1,9})-(.+)");

  private final ManagedInformers informers;
  private final Clock clock;

  public SnapshotReader(ManagedInformers informers, Clock clock) {
    this.informers = informers;
    this.clock = clock;
  }

  public Snapshot read(BatonApp app) {
    return read(app, new MeasurementInbox().take("", ""));
  }

  /** The snapshot, with the measurements {@code landed} from the pool since status took them. */
  public Snapshot read(BatonApp app, MeasurementInbox.Taken landed) {
    String name = app.getMetadata().getName();
    String namespace = app.getMetadata().getNamespace();
    AppSettings settings = AppSettings.of(name, namespace,
        Objects.requireNonNullElse(app.getMetadata().getGeneration(), 0L), app.getSpec());
    Optional<String> invalid = SpecValidator.problem(settings,
        secret -> informers.secretKeys(namespace, secret),
        configMap -> informers.configMapDigest(namespace, configMap).isPresent())
        .or(() -> informers.serves(settings.provider()) ? Optional.empty() : Optional.of(
            "spec.ingress.provider is " + settings.provider() + ", but the cluster does not serve "
                + (settings.provider() == IngressSpec.Provider.gatewayAPI
                    ? "the Gateway API's HTTPRoute (gateway.networking.k8s.io/v1)"
                    : "Traefik's TraefikService and IngressRoute (traefik.io/v1alpha1)")
                + "; install those CRDs and restart Baton, or choose another provider"))
        // Templates, arguments and conditions of every analysis, before any pod moves.
        .or(() -> AnalysisValidator.problem(name, namespace, app.getSpec(),
            informers.templates(namespace)));

    Map<String, List<Pod>> podsByHash = informers.podsOf(namespace, name)
        .filter(p -> ManagedInformers.label(p, Labels.REVISION_HASH) != null)
        .collect(Collectors.groupingBy(p -> ManagedInformers.label(p, Labels.REVISION_HASH)));
    Set<String> readyPreviewPods = informers.readyPreviewPods(namespace, name);
    Map<String, VersionState> versions = new HashMap<>();
    Instant now = clock.instant();
    List<Deployment> deployments = informers.deploymentsOf(namespace, name)
        .filter(d -> ManagedInformers.label(d, Labels.REVISION_HASH) != null
            && d.getMetadata().getDeletionTimestamp() == null)
        .toList();
    List<StoredRevision> stored = informers.revisionsOf(namespace, name)
        .filter(r -> r.getMetadata().getDeletionTimestamp() == null)
        .map(SnapshotReader::storedOf)
        .flatMap(Optional::stream)
        .toList();
    Map<String, Bookkeeping> bookkeeping = bookkeeping(app, deployments);
    Optional<String> rollingStable = RolloutRecord.rollingStable(app.getStatus());
    for (Deployment d : deployments) {
      String hash = ManagedInformers.label(d, Labels.REVISION_HASH);
      List<Pod> pods = podsByHash.getOrDefault(hash, List.of());
      int revision = revisionOf(d);
      if (Labels.ROLLING.equals(hash) && rollingStable.isPresent()) {
        // The rolling Deployment serves its last complete revision: the record names it.
        revision = revisionByHash(rollingStable.get(), stored, app).orElse(revision);
      }
      versions.put(hash, versionOf(hash, revision, d, pods,
          PreviewEndpoints.count(d, pods, readyPreviewPods), now,
          settings.progressDeadline(), bookkeeping.getOrDefault(hash, Bookkeeping.NONE)));
    }
    int newest = Math.max(
        versions.values().stream().mapToInt(VersionState::revision).max().orElse(0),
        stored.stream().mapToInt(StoredRevision::revision).max().orElse(0));
    if (app.getStatus() != null && app.getStatus().history != null) {
      newest = Math.max(newest, app.getStatus().history.stream()
          .map(r -> r.revision).filter(Objects::nonNull).mapToInt(Integer::intValue).max()
          .orElse(0));
    }
    // The connection settings are part of the template, so a topology change is a new revision.
    PodTemplateSpec template = DatabaseTopology.withConnectionEnv(settings.template(), name,
        settings.database());
    String hash = invalid.isPresent() ? "" : revisionHash(settings.namespace(), template);
    // A template not deployed yet is shown to the API server before anything is written for it.
    if (invalid.isEmpty() && !versions.containsKey(hash)) {
      invalid = informers.admission().problem(namespace, template);
    }
    Snapshot.Target target = invalid.isPresent()
        ? new Snapshot.Target("", template)
        : new Snapshot.Target(hash, template);
    Optional<RollbackPin> pin = Optional.ofNullable(app.getStatus())
        .map(st -> st.rollback)
        .filter(r -> r.revision != null && r.hash != null && r.specHash != null)
        .map(r -> new RollbackPin(r.revision, r.hash, r.specHash,
            r.request == null ? "" : r.request));

    Optional<Service> activeService = informers.service(namespace,
        DesiredObjects.activeServiceName(name));
    // While a canary spans both versions the selector has no hash: the annotation names the live one.
    Optional<String> activeHash = activeService
        .map(s -> s.getSpec().getSelector())
        .map(sel -> sel.get(Labels.REVISION_HASH))
        .or(() -> activeService.map(s -> s.getMetadata().getAnnotations())
            .map(a -> a.get(Labels.STABLE_HASH)));
    boolean wide = activeService.map(s -> s.getSpec().getSelector())
        .filter(sel -> !sel.containsKey(Labels.REVISION_HASH)).isPresent();
    var trafficObjects = informers.trafficObjects(namespace, name);
    List<HasMetadata> current = trafficObjects.getOrDefault(settings.provider(), List.of());
    Optional<Instant> currentSince = current.stream()
        .map(o -> o.getMetadata().getCreationTimestamp()).filter(Objects::nonNull)
        .map(Instant::parse).max(Instant::compareTo);
    TrafficObservation traffic = TrafficProviders.of(settings.provider())
        .map(p -> p.readBack(settings, current))
        .map(r -> new TrafficObservation(r.weight(), wide, trafficObjects.keySet(), r.pending(),
            currentSince, OptionalInt.of(readyPreviewPods.size())))
        .orElse(new TrafficObservation(Optional.empty(), wide, trafficObjects.keySet(), "",
            currentSince, OptionalInt.of(readyPreviewPods.size())));

    Optional<String> reportedInvalid = Optional.ofNullable(app.getStatus())
        .map(st -> st.conditions).stream().flatMap(List::stream)
        .filter(c -> BlueGreenPlanner.INVALID_SPEC.equals(c.getType())
            && "True".equals(c.getStatus()))
        .map(c -> c.getMessage()).findFirst();
    int newestSeen = newest;
    Optional<Snapshot.Recorded> lastRecorded = Optional.ofNullable(app.getStatus())
        .map(st -> st.history).stream().flatMap(List::stream)
        .filter(r -> r.revision != null && r.revision == newestSeen && r.hash != null)
        .map(r -> new Snapshot.Recorded(r.revision, r.hash)).findFirst();
    // A built-in check without a proxy reads the app's provider's metrics.
    Optional<BuiltInCheck.Proxy> proxy = BuiltInProxy.of(settings.provider());
    AnalysisInputs analysis = new AnalysisInputs(
        BuiltInProxy.fill(app.getSpec().analysisMetrics, proxy),
        backgroundAnalysis(app),
        blueGreenAnalysis(app, b -> b.prePromotionAnalysis),
        blueGreenAnalysis(app, b -> b.postPromotionAnalysis),
        Optional.ofNullable(app.getSpec().strategy).map(st -> st.rolling).map(r -> r.analysis),
        BuiltInProxy.fill(informers.templates(namespace), proxy),
        app.getStatus() == null ? List.of() : app.getStatus().analysis, landed.byRun(),
        analysisJobs(namespace, name, now));
    return new Snapshot(settings, target, newest + 1, versions, stored, pin, activeHash,
        invalid, reportedInvalid, Commands.from(app.getMetadata().getAnnotations()),
        now, traffic, analysis, lastRecorded);
  }

  /**
   * The background analysis of a stepped rollout: the canary's, or a stepped blue/green's when
   * blue/green is the strategy.
   */
  private static Optional<BackgroundAnalysis> backgroundAnalysis(BatonApp app) {
    Optional<StrategySpec> st = Optional.ofNullable(app.getSpec().strategy);
    Optional<BackgroundAnalysis> canary = st.map(x -> x.canary).map(c -> c.analysis);
    if (canary.isPresent() || st.map(x -> x.canary != null || x.rolling != null).orElse(false)) {
      return canary;
    }
    return st.map(x -> x.blueGreen).filter(b -> b.trafficSteps != null
        && !b.trafficSteps.isEmpty()).map(b -> b.analysis);
  }

  /**
   * One of the blue/green strategy's analyses, when blue/green is the strategy: a canary or
   * rolling spec may keep a blueGreen block, which then does not apply.
   */
  private static Optional<AnalysisSpec> blueGreenAnalysis(BatonApp app,
      Function<BlueGreenSpec, AnalysisSpec> which) {
    return Optional.ofNullable(app.getSpec().strategy)
        .filter(st -> st.canary == null && st.rolling == null)
        .map(st -> st.blueGreen).map(which);
  }

  /** The app's analysis Jobs (job metrics), as measurements; a Job with unreadable labels is left out. */
  private List<AnalysisJob> analysisJobs(String namespace, String app, Instant now) {
    return informers.jobsOf(namespace, app)
        .filter(j -> j.getMetadata().getDeletionTimestamp() == null
            && ManagedInformers.label(j, JobMeasurements.RUN) != null)
        .map(j -> analysisJob(j, now)).flatMap(Optional::stream).toList();
  }

  private static Optional<AnalysisJob> analysisJob(Job job, Instant now) {
    Optional<RunKey> run = runKey(ManagedInformers.label(job, JobMeasurements.RUN));
    String metric = ManagedInformers.label(job, JobMeasurements.METRIC);
    String n = ManagedInformers.label(job, JobMeasurements.MEASUREMENT);
    if (run.isEmpty() || metric == null || n == null || !n.matches("[0-9]{1,6}")) {
      return Optional.empty();
    }
    Instant finished = now;
    if (job.getStatus() != null) {
      if (job.getStatus().getCompletionTime() != null) {
        finished = Instant.parse(job.getStatus().getCompletionTime());
      } else if (job.getStatus().getConditions() != null) {
        finished = job.getStatus().getConditions().stream()
            .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus())
                && c.getLastTransitionTime() != null)
            .map(c -> Instant.parse(c.getLastTransitionTime())).findFirst().orElse(now);
      }
    }
    return Optional.of(new AnalysisJob(job.getMetadata().getName(), run.get(), metric,
        Integer.parseInt(n), JobMeasurements.observe(job), finished));
  }

  /** The run of an analysis Job's label, {@code r<revision>-a<attempt>-<step>} (lower case). */
  public static Optional<RunKey> runKey(String label) {
    Matcher m = label == null ? null : RUN_LABEL.matcher(label);
    if (m == null || !m.matches()) {
      return Optional.empty();
    }
    String step = m.group(3);
    for (String named : List.of(RunKey.BACKGROUND, RunKey.PRE_PROMOTION, RunKey.POST_PROMOTION)) {
      if (named.equalsIgnoreCase(step)) {
        step = named;
      }
    }
    try {
      return Optional.of(new RunKey(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
          step));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The revision hash: the template's, plus the content digests of the ConfigMaps and Secrets it
   * references (an absent one counts as absent), so new content makes a new revision.
   */
  private String revisionHash(String namespace, PodTemplateSpec template) {
    ConfigReferences refs = ConfigReferences.of(template);
    if (refs.isEmpty()) {
      return RevisionHasher.hash(template);
    }
    Map<String, String> content = new TreeMap<>();
    refs.configMaps().forEach(n -> content.put("configmap/" + n,
        informers.configMapDigest(namespace, n).orElse("absent")));
    refs.secrets().forEach(n -> content.put("secret/" + n,
        informers.secretDigest(namespace, n).orElse("absent")));
    return RevisionHasher.hash(Map.of("template", template, "content", content));
  }

  /** Reads a ControllerRevision written by Baton; one it cannot read is left out. */
  private static Optional<StoredRevision> storedOf(ControllerRevision r) {
    String hash = ManagedInformers.label(r, Labels.REVISION_HASH);
    if (hash == null || r.getRevision() == null || r.getData() == null) {
      return Optional.empty();
    }
    // Fabric8 types ControllerRevision.data as Object and may hand it back as a RawExtension or a
    // generic resource: go through JSON to get at the template either way.
    @SuppressWarnings("unchecked")
    Map<String, Object> data = SERIALIZATION.unmarshal(SERIALIZATION.asJson(r.getData()),
        Map.class);
    Object template = data.get(DesiredObjects.TEMPLATE_KEY);
    if (template == null && data.get("value") instanceof Map<?, ?> value) {
      template = value.get(DesiredObjects.TEMPLATE_KEY);
    }
    if (template == null) {
      return Optional.empty();
    }
    return Optional.of(new StoredRevision(r.getRevision().intValue(), hash,
        SERIALIZATION.convertValue(template, PodTemplateSpec.class)));
  }

  private static VersionState versionOf(String hash, int revision, Deployment d, List<Pod> pods,
      int readyEndpoints, Instant now, java.time.Duration progressDeadline,
      Bookkeeping bookkeeping) {
    DeploymentStatus st = d.getStatus() != null ? d.getStatus() : new DeploymentStatus();
    int spec = Objects.requireNonNullElse(d.getSpec().getReplicas(), 1);
    long generation = Objects.requireNonNullElse(d.getMetadata().getGeneration(), 0L);
    long observed = Objects.requireNonNullElse(st.getObservedGeneration(), 0L);
    int updated = Objects.requireNonNullElse(st.getUpdatedReplicas(), 0);
    int total = Objects.requireNonNullElse(st.getReplicas(), 0);
    boolean rolledOut = observed >= generation && updated == spec && total == spec;
    return new VersionState(hash, revision, spec,
        Objects.requireNonNullElse(st.getReadyReplicas(), 0),
        Objects.requireNonNullElse(st.getAvailableReplicas(), 0),
        rolledOut, bookkeeping, PodProblems.summarise(pods, now, progressDeadline), updated,
        readyEndpoints);
  }

  /**
   * The rollout's bookkeeping per version: from {@code status.rollout} and
   * {@code status.retiring} ({@link RolloutRecord}); for an app last reconciled by a Baton that
   * kept it in Deployment annotations (no {@code status.rollout} yet), from those annotations, so
   * that an upgrade resumes a rollout in flight. The reconcile that reads them writes the record
   * before it applies the Deployments without them.
   */
  // TODO(one release after v1alpha1 status.rollout): drop the annotation fallback.
  private static Map<String, Bookkeeping> bookkeeping(BatonApp app,
      List<Deployment> deployments) {
    if (RolloutRecord.isRecorded(app.getStatus())) {
      Optional<String> rollingTemplate = deployments.stream()
          .filter(d -> Labels.ROLLING.equals(ManagedInformers.label(d, Labels.REVISION_HASH)))
          .map(d -> d.getSpec().getTemplate().getMetadata())
          .filter(Objects::nonNull)
          .map(m -> m.getLabels() == null ? null : m.getLabels().get(Labels.TEMPLATE_HASH))
          .filter(Objects::nonNull)
          .findFirst();
      return RolloutRecord.bookkeeping(app.getStatus(), app.getMetadata().getName(),
          deployments.stream()
          .map(d -> ManagedInformers.label(d, Labels.REVISION_HASH)).toList(), rollingTemplate);
    }
    Map<String, Bookkeeping> legacy = new HashMap<>();
    for (Deployment d : deployments) {
      legacy.put(ManagedInformers.label(d, Labels.REVISION_HASH),
          LegacyBookkeeping.of(d.getMetadata().getAnnotations()));
    }
    return legacy;
  }

  /** The revision number on a Deployment: its label (or, written by an older Baton, annotation). */
  private static int revisionOf(Deployment d) {
    String value = ManagedInformers.label(d, Labels.REVISION);
    if (value == null && d.getMetadata().getAnnotations() != null) {
      value = d.getMetadata().getAnnotations().get(Labels.REVISION);
    }
    try {
      return value == null ? 0 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return 0; // a hand-edited value: treat as unknown
    }
  }

  private static Optional<Integer> revisionByHash(String hash, List<StoredRevision> stored,
      BatonApp app) {
    return stored.stream().filter(r -> r.hash().equals(hash)).map(StoredRevision::revision)
        .findFirst()
        .or(() -> Optional.ofNullable(app.getStatus().history).stream().flatMap(List::stream)
            .filter(r -> hash.equals(r.hash) && r.revision != null).map(r -> r.revision)
            .findFirst());
  }
}
