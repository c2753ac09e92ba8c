package dev.baton.observe;

import dev.baton.operator.UrgentFirstExecutor;
import dev.baton.operator.BatonMetrics;
import dev.baton.analysis.AnalysisValidator;
import dev.baton.analysis.TemplateLookup;
import dev.baton.api.v1alpha1.AnalysisTemplateSpec;
import dev.baton.api.v1alpha1.BatonAnalysisTemplate;
import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.ClusterBatonAnalysisTemplate;
import dev.baton.planning.ConfigReferences;
import dev.baton.planning.DatabaseTopology;
import dev.baton.planning.DesiredObjects;
import dev.baton.planning.Labels;
import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.render.AppChildren;
import dev.baton.traffic.traefik.TraefikProvider;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The informers behind a reconcile. The Deployment, Service, Pod, ControllerRevision and
 * (migration) Job informers hold only objects labelled {@link Labels#APP}, the ones Baton manages,
 * never every one of the cluster, and map an object back to its BatonApp by that label.
 *
 * <p>ConfigMaps and Secrets are user objects without Baton's label; their informers keep only a
 * digest of each object's content ({@link ContentDigestStore}) and map a change to the BatonApps
 * whose template references the object.
 */
public final class ManagedInformers {

  private static final String MANAGED = Labels.APP;

  private final BatonMetrics metrics;
  /** Marks an app whose promotion gate an update may have opened (UrgentFirstExecutor). */
  private final java.util.function.Consumer<ResourceID> urgent;

  /** Which apps' children these informers hold (every app's, unless the apps are sharded). */
  private final dev.baton.shard.ShardScope scope;

  public ManagedInformers(BatonMetrics metrics, java.util.function.Consumer<ResourceID> urgent) {
    this(metrics, urgent, dev.baton.shard.ShardScope.whole());
  }

  /**
   * @param scope the shard reconciled: the children's informers select its label, so a shard's
   *     caches hold its apps' children only (Pods are the exception: they carry the labels of
   *     their pod template, which Baton does not change for a shard, so every shard caches
   *     every app's pods, pruned)
   */
  public ManagedInformers(BatonMetrics metrics, java.util.function.Consumer<ResourceID> urgent,
      dev.baton.shard.ShardScope scope) {
    this.metrics = metrics;
    this.urgent = urgent;
    this.scope = scope;
  }

  private InformerEventSource<Deployment, BatonApp> deployments;
  private InformerEventSource<Service, BatonApp> services;
  private InformerEventSource<Pod, BatonApp> pods;
  private InformerEventSource<ControllerRevision, BatonApp> revisions;
  private InformerEventSource<ConfigMap, BatonApp> configMaps;
  private TemplateAdmission admission;
  private InformerEventSource<EndpointSlice, BatonApp> endpointSlices;
  private InformerEventSource<Secret, BatonApp> secrets;
  private InformerEventSource<Job, BatonApp> jobs;
  private InformerEventSource<Ingress, BatonApp> ingresses;
  /** Present only when the cluster serves the Gateway API's HTTPRoute. */
  private InformerEventSource<HTTPRoute, BatonApp> httpRoutes;
  /** Present only when the cluster serves Traefik's CRDs. */
  private InformerEventSource<GenericKubernetesResource, BatonApp> traefikServices;
  private InformerEventSource<GenericKubernetesResource, BatonApp> ingressRoutes;
  private InformerEventSource<EndpointSlice, BatonApp> previewSlices;
  private InformerEventSource<BatonAnalysisTemplate, BatonApp> analysisTemplates;
  private InformerEventSource<ClusterBatonAnalysisTemplate, BatonApp> clusterAnalysisTemplates;

  /** The label the EndpointSlice controller puts on its slices: the Service they belong to. */
  static final String SERVICE_NAME = "kubernetes.io/service-name";
  /** The value of {@link DatabaseTopology#SLICE_MANAGED_BY} on the controller's own slices. */
  static final String SLICE_CONTROLLER = "endpointslice-controller.k8s.io";

  public List<EventSource<?, BatonApp>> create(EventSourceContext<BatonApp> context) {
    // Caches keep projections: managedFields (most of a small object) are never read.
    // Updates reconcile only when they change what a reconcile reads (EventFilters).
    String children = scope.childSelector(MANAGED);
    deployments = informer(Deployment.class, context, children,
        PruningStore.withoutManagedFields(),
        EventFilters.urgentWhen(
            EventFilters.changed("Deployment", EventFilters::deploymentKey, metrics),
            EventFilters::becameAvailable, urgent));
    services = informer(Service.class, context, children, PruningStore.withoutManagedFields());
    pods = informer(Pod.class, context, MANAGED, PruningStore.forPods(),
        EventFilters.changed("Pod", EventFilters::podKey, metrics),
        // Every shard caches every app's pods (see the constructor); only its own apps' pods
        // wake a reconcile.
        scope.sharded() ? pod -> ownsApp(context, pod) : null);
    revisions = informer(ControllerRevision.class, context, children,
        PruningStore.withoutManagedFields());
    // Only the slices Baton writes: the EndpointSlice controller copies a Service's labels onto
    // the slices it manages, so baton.dev/app alone would also match those of the app's Services.
    endpointSlices = informer(EndpointSlice.class, context,
        children + "," + DatabaseTopology.SLICE_MANAGED_BY + "=" + DatabaseTopology.SLICE_MANAGER,
        PruningStore.withoutManagedFields());
    // The controller's slices of each preview Service (it copies the Service's labels, role
    // included): which of the new version's pods the Service routes to as ready. The promotion
    // gate reads them instead of waiting for the Deployment's status (PreviewEndpoints).
    previewSlices = informer(EndpointSlice.class, context,
        children + "," + Labels.ROLE + "=" + DesiredObjects.PREVIEW_ROLE + ","
            + DatabaseTopology.SLICE_MANAGED_BY + "=" + SLICE_CONTROLLER,
        PruningStore.forControllerSlices(),
        EventFilters.urgentWhen(
            EventFilters.changed("EndpointSlice", EventFilters::controllerSliceKey, metrics),
            EventFilters::moreReady, urgent));
    configMaps = contentInformer(ConfigMap.class, ContentDigestStore.forConfigMaps(), context,
        ConfigReferences::referencesConfigMap);
    secrets = contentInformer(Secret.class, ContentDigestStore.forSecrets(), context,
        ConfigReferences::referencesSecret);
    jobs = informer(Job.class, context, children, PruningStore.withoutManagedFields());
    ingresses = informer(Ingress.class, context, children, PruningStore.withoutManagedFields());
    // Analysis templates are user objects: a change reconciles the apps that name them.
    analysisTemplates = informerOf(InformerEventSourceConfiguration
        .from(BatonAnalysisTemplate.class, BatonApp.class)
        .withItemStore(PruningStore.<BatonAnalysisTemplate>withoutManagedFields())
        .withSecondaryToPrimaryMapper((BatonAnalysisTemplate t) -> appsNaming(context,
            t.getMetadata().getNamespace(), t.getMetadata().getName(), false))
        .withNamespacesInheritedFromController().build(), context);
    clusterAnalysisTemplates = informerOf(InformerEventSourceConfiguration
        .from(ClusterBatonAnalysisTemplate.class, BatonApp.class)
        .withItemStore(PruningStore.<ClusterBatonAnalysisTemplate>withoutManagedFields())
        .withSecondaryToPrimaryMapper((ClusterBatonAnalysisTemplate t) -> appsNaming(context,
            null, t.getMetadata().getName(), true))
        .withWatchAllNamespaces().build(), context);
    List<EventSource<?, BatonApp>> sources = new java.util.ArrayList<>(List.of(deployments,
        services, pods, revisions, endpointSlices, previewSlices, configMaps, secrets, jobs,
        ingresses, analysisTemplates, clusterAnalysisTemplates));
    // Informers on kinds the cluster does not serve would never sync: only watch the ingress
    // CRDs that are installed (an app asking for a missing one gets an InvalidSpec condition).
    var client = context.getClient();
    admission = new TemplateAdmission(client);
    if (client.supports(HTTPRoute.class)) {
      httpRoutes = informer(HTTPRoute.class, context, children,
          PruningStore.withoutManagedFields());
      sources.add(httpRoutes);
    }
    if (client.supports(TraefikProvider.API_VERSION, TraefikProvider.TRAEFIK_SERVICE)
        && client.supports(TraefikProvider.API_VERSION, TraefikProvider.INGRESS_ROUTE)) {
      traefikServices = genericInformer(TraefikProvider.TRAEFIK_SERVICE, context, children);
      ingressRoutes = genericInformer(TraefikProvider.INGRESS_ROUTE, context, children);
      sources.add(traefikServices);
      sources.add(ingressRoutes);
    }
    // An index by app: a reconcile looks up its app's objects instead of scanning the namespace
    // (with hundreds of apps in one namespace, the scans made every reconcile cost O(apps)).
    for (var source : List.of(deployments, services, pods, revisions, endpointSlices,
        previewSlices, jobs, ingresses)) {
      index(source);
    }
    for (var source : java.util.Arrays.asList(httpRoutes, traefikServices, ingressRoutes)) {
      if (source != null) {
        index(source);
      }
    }
    return sources;
  }

  /** The name of the index by app: {@code <namespace>/<app>} from the {@link Labels#APP} label. */
  private static final String BY_APP = "baton-app";

  private static <R extends HasMetadata> void index(InformerEventSource<R, BatonApp> source) {
    source.addIndexers(Map.of(BY_APP, o -> {
      String app = label(o, MANAGED);
      return app == null ? List.of() : List.of(o.getMetadata().getNamespace() + "/" + app);
    }));
  }

  /** The cached objects of one app (by its label), from the index. */
  private static <R extends HasMetadata> Stream<R> ofApp(InformerEventSource<R, BatonApp> source,
      String namespace, String app) {
    return source.byIndex(BY_APP, namespace + "/" + app).stream();
  }

  private static InformerEventSource<GenericKubernetesResource, BatonApp> genericInformer(
      String kind, EventSourceContext<BatonApp> context, String labelSelector) {
    var config = InformerEventSourceConfiguration.from(
            new GroupVersionKind("traefik.io", "v1alpha1", kind), BatonApp.class)
        .withName("traefik-" + kind)
        .withLabelSelector(labelSelector)
        .withItemStore(PruningStore.<GenericKubernetesResource>withoutManagedFields())
        .withSecondaryToPrimaryMapper(ManagedInformers::owningApp)
        .withNamespacesInheritedFromController()
        .build();
    return new InformerEventSource<>(config, context);
  }

  private static <R extends HasMetadata> InformerEventSource<R, BatonApp> informerOf(
      InformerEventSourceConfiguration<R> config, EventSourceContext<BatonApp> context) {
    return new InformerEventSource<>(config, context);
  }

  /** The apps (of {@code namespace}, or of any when null) whose analyses name a template. */
  private static Set<ResourceID> appsNaming(EventSourceContext<BatonApp> context,
      String namespace, String template, boolean clusterScope) {
    var apps = namespace == null ? context.getPrimaryCache().list()
        : context.getPrimaryCache().list(namespace);
    return apps.filter(app -> app.getSpec() != null && AnalysisValidator.places(app.getSpec())
            .stream().anyMatch(p -> p.analysis().templates != null && p.analysis().templates
                .stream().anyMatch(r -> template.equals(r.name)
                    && r.isClusterScope() == clusterScope)))
        .map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  /** The analysis templates an app of {@code namespace} may name, from the caches. */
  public TemplateLookup templates(String namespace) {
    return new TemplateLookup() {
      @Override
      public Optional<AnalysisTemplateSpec> namespaced(String name) {
        return analysisTemplates.get(new ResourceID(name, namespace))
            .map(BatonAnalysisTemplate::getSpec);
      }

      @Override
      public Optional<AnalysisTemplateSpec> cluster(String name) {
        return clusterAnalysisTemplates.get(new ResourceID(name))
            .map(ClusterBatonAnalysisTemplate::getSpec);
      }
    };
  }

  /** Whether the cluster serves the objects of a provider (checked once, at start). */
  public boolean serves(IngressSpec.Provider provider) {
    return switch (provider) {
      case none, nginx -> true;
      case gatewayAPI -> httpRoutes != null;
      case traefik -> traefikServices != null;
    };
  }

  /** The traffic objects of an app, by the provider they belong to. */
  public Map<IngressSpec.Provider, List<HasMetadata>> trafficObjects(String namespace, String app) {
    Map<IngressSpec.Provider, List<HasMetadata>> result = new java.util.EnumMap<>(
        IngressSpec.Provider.class);
    put(result, IngressSpec.Provider.nginx, ingresses, namespace, app);
    put(result, IngressSpec.Provider.gatewayAPI, httpRoutes, namespace, app);
    put(result, IngressSpec.Provider.traefik, traefikServices, namespace, app);
    put(result, IngressSpec.Provider.traefik, ingressRoutes, namespace, app);
    return result;
  }

  private static void put(Map<IngressSpec.Provider, List<HasMetadata>> result,
      IngressSpec.Provider provider, InformerEventSource<? extends HasMetadata, BatonApp> source,
      String namespace, String app) {
    if (source == null) {
      return;
    }
    List<HasMetadata> objects = ofApp(source, namespace, app)
        .filter(o -> o.getMetadata().getDeletionTimestamp() == null)
        .map(HasMetadata.class::cast).toList();
    if (!objects.isEmpty()) {
      result.computeIfAbsent(provider, p -> new java.util.ArrayList<>()).addAll(objects);
    }
  }

  /** The Baton-labelled children of an app as the caches hold them, for the renderer. */
  public AppChildren children(String namespace, String app) {
    return new AppChildren(deploymentsOf(namespace, app).toList(),
        revisionsOf(namespace, app).toList(), servicesOf(namespace, app).toList(),
        // The informer holds Baton's slices only (its label selector), never the controller's.
        ofApp(endpointSlices, namespace, app).toList(), trafficObjects(namespace, app),
        jobsOf(namespace, app).toList());
  }

  /** The informer that holds objects of this kind, to remember Baton's own writes in. */
  @SuppressWarnings("unchecked")
  public <R extends HasMetadata> Optional<InformerEventSource<R, BatonApp>> sourceFor(R object) {
    if (object instanceof GenericKubernetesResource g) {
      return Optional.ofNullable((InformerEventSource<R, BatonApp>) (
          TraefikProvider.TRAEFIK_SERVICE.equals(g.getKind()) ? traefikServices : ingressRoutes));
    }
    // Baton writes only its own EndpointSlices (the data tier's), never the controller's.
    Map<Class<?>, InformerEventSource<?, BatonApp>> written = new java.util.LinkedHashMap<>();
    written.put(Deployment.class, deployments);
    written.put(Service.class, services);
    written.put(EndpointSlice.class, endpointSlices);
    written.put(ControllerRevision.class, revisions);
    written.put(Job.class, jobs);
    written.put(Ingress.class, ingresses);
    written.put(HTTPRoute.class, httpRoutes);
    return written.entrySet().stream().filter(e -> e.getKey().isInstance(object))
        .map(e -> (InformerEventSource<R, BatonApp>) e.getValue())
        .filter(java.util.Objects::nonNull).findFirst();
  }

  private static <R extends HasMetadata> InformerEventSource<R, BatonApp> contentInformer(
      Class<R> type, PruningStore<R> store, EventSourceContext<BatonApp> context,
      BiPredicate<ConfigReferences, String> references) {
    var config = InformerEventSourceConfiguration.from(type, BatonApp.class)
        .withItemStore(store)
        .withSecondaryToPrimaryMapper((R object) -> context.getPrimaryCache()
            .list(object.getMetadata().getNamespace())
            .filter(app -> app.getSpec() != null && references.test(
                // With the data tier's settings: its credentials Secret is referenced too.
                ConfigReferences.of(DatabaseTopology.withConnectionEnv(app.getSpec().template,
                    app.getMetadata().getName(), app.getSpec().database)),
                object.getMetadata().getName()))
            .map(ResourceID::fromResource)
            .collect(Collectors.toSet()))
        .withNamespacesInheritedFromController()
        .build();
    return new InformerEventSource<>(config, context);
  }

  private static <R extends HasMetadata> InformerEventSource<R, BatonApp> informer(
      Class<R> type, EventSourceContext<BatonApp> context, String labelSelector,
      ItemStore<R> store) {
    return informer(type, context, labelSelector, store, null);
  }

  private static <R extends HasMetadata> InformerEventSource<R, BatonApp> informer(
      Class<R> type, EventSourceContext<BatonApp> context, String labelSelector,
      ItemStore<R> store, OnUpdateFilter<R> onUpdate) {
    return informer(type, context, labelSelector, store, onUpdate, null);
  }

  /** Whether the app an object is labelled with is one of this shard's (kept whole). */
  private static boolean ownsApp(EventSourceContext<BatonApp> context, HasMetadata object) {
    String app = label(object, MANAGED);
    return app != null && context.getPrimaryCache()
        .get(new ResourceID(app, object.getMetadata().getNamespace()))
        .map(a -> a.getSpec() != null).orElse(false);
  }

  private static <R extends HasMetadata> InformerEventSource<R, BatonApp> informer(
      Class<R> type, EventSourceContext<BatonApp> context, String labelSelector,
      ItemStore<R> store, OnUpdateFilter<R> onUpdate,
      io.javaoperatorsdk.operator.processing.event.source.filter.GenericFilter<R> only) {
    var config = InformerEventSourceConfiguration.from(type, BatonApp.class)
        .withLabelSelector(labelSelector)
        .withItemStore(store)
        .withOnUpdateFilter(onUpdate)
        .withGenericFilter(only)
        .withSecondaryToPrimaryMapper(ManagedInformers::owningApp)
        .withNamespacesInheritedFromController()
        .build();
    return new InformerEventSource<>(config, context);
  }

  private static Set<ResourceID> owningApp(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    String app = labels == null ? null : labels.get(MANAGED);
    return app == null ? Set.of()
        : Set.of(new ResourceID(app, object.getMetadata().getNamespace()));
  }

  /** Whether the cache holds a child of this kind (its simple class name, or Traefik's kind). */
  public boolean cached(String kind, String namespace, String name) {
    InformerEventSource<? extends HasMetadata, BatonApp> source = switch (kind) {
      case "Deployment" -> deployments;
      case "Service" -> services;
      case "ControllerRevision" -> revisions;
      case "EndpointSlice" -> endpointSlices;
      case "Job" -> jobs;
      case "Ingress" -> ingresses;
      case "HTTPRoute" -> httpRoutes;
      case TraefikProvider.TRAEFIK_SERVICE -> traefikServices;
      case TraefikProvider.INGRESS_ROUTE -> ingressRoutes;
      default -> null;
    };
    return source == null || source.get(new ResourceID(name, namespace)).isPresent();
  }

  /** The shard whose children these informers hold. */
  public dev.baton.shard.ShardScope scope() {
    return scope;
  }

  public InformerEventSource<Deployment, BatonApp> deployments() {
    return deployments;
  }

  public InformerEventSource<Service, BatonApp> services() {
    return services;
  }

  public InformerEventSource<EndpointSlice, BatonApp> endpointSlices() {
    return endpointSlices;
  }

  public Stream<Service> servicesOf(String namespace, String app) {
    return ofApp(services, namespace, app);
  }

  /**
   * The names of the pods that the EndpointSlice controller lists as ready behind the app's
   * preview Service (pruned slices keep only each endpoint's pod and ready condition).
   */
  public Set<String> readyPreviewPods(String namespace, String app) {
    String service = DesiredObjects.previewServiceName(app);
    return ofApp(previewSlices, namespace, app)
        .filter(es -> service.equals(label(es, SERVICE_NAME)))
        .flatMap(es -> PreviewEndpoints.readyPods(es).stream())
        .collect(Collectors.toSet());
  }

  public InformerEventSource<ControllerRevision, BatonApp> revisions() {
    return revisions;
  }

  public Stream<ControllerRevision> revisionsOf(String namespace, String app) {
    return ofApp(revisions, namespace, app);
  }

  /** The content digest of a ConfigMap, or empty when it does not exist. */
  /** The API server's verdict on new pod templates (not a cache of the cluster's objects). */
  public TemplateAdmission admission() {
    return admission;
  }

  public Optional<String> configMapDigest(String namespace, String name) {
    return configMaps.get(new ResourceID(name, namespace)).map(ContentDigestStore::digestOf);
  }

  /** The key names of a Secret, or empty when it does not exist. */
  public Optional<Set<String>> secretKeys(String namespace, String name) {
    return secrets.get(new ResourceID(name, namespace)).map(ContentDigestStore::keysOf);
  }

  /** The content digest of a Secret, or empty when it does not exist. */
  public Optional<String> secretDigest(String namespace, String name) {
    return secrets.get(new ResourceID(name, namespace)).map(ContentDigestStore::digestOf);
  }

  public Optional<Deployment> deployment(String namespace, String name) {
    return deployments.get(new ResourceID(name, namespace));
  }

  public Optional<Service> service(String namespace, String name) {
    return services.get(new ResourceID(name, namespace));
  }

  public Stream<Deployment> deploymentsOf(String namespace, String app) {
    return ofApp(deployments, namespace, app);
  }

  public InformerEventSource<Job, BatonApp> jobs() {
    return jobs;
  }

  /**
   * A Job by name, from the cache or from Baton's own create that the watch has not delivered
   * yet (the index by app, {@link #jobsOf}, lists a Job only once the watch has).
   */
  public Optional<Job> job(String namespace, String name) {
    return jobs.get(new ResourceID(name, namespace));
  }

  /** The app's migration Jobs. */
  public Stream<Job> jobsOf(String namespace, String app) {
    return ofApp(jobs, namespace, app);
  }

  public Stream<Pod> podsOf(String namespace, String app) {
    return ofApp(pods, namespace, app);
  }

  public static String label(HasMetadata object, String key) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }
}
