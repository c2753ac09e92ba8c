package dev.baton.planning;

import dev.baton.api.v1alpha1.DatabaseEndpoint;
import dev.baton.api.v1alpha1.DatabaseEnv;
import dev.baton.api.v1alpha1.DatabaseSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The data tier as Kubernetes objects: one Service per role ({@code <app>-db-primary},
 * {@code <app>-db-replicas}, {@code <app>-cache}) and the connection settings as environment
 * variables of every container.
 *
 * <p>How an endpoint becomes a Service:
 *
 * <table>
 *   <tr><th>endpoint</th><th>Service</th></tr>
 *   <tr><td>{@code host: mysql-0.db.svc}</td><td>ExternalName {@code mysql-0.db.svc}</td></tr>
 *   <tr><td>{@code host: 10.0.0.5}</td><td>headless, with an EndpointSlice Baton owns</td></tr>
 *   <tr><td>{@code selector: {app: mysql}}</td><td>ClusterIP selecting those pods</td></tr>
 * </table>
 *
 * Replicas given as IP addresses share one headless Service whose EndpointSlices list them all
 * (one slice per port). Several replicas given by DNS name or selector cannot be merged into one
 * Service: it then points at the first, and {@code DB_REPLICA_ENDPOINTS} lists every replica for
 * clients that balance reads themselves.
 */
public final class DatabaseTopology {

  /** Roles, as the {@link Labels#ROLE} label of the role Services. */
  public static final Set<String> ROLES = Set.of("db-primary", "db-replicas", "cache");

  private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
  /** The label that tells EndpointSlice owners apart, and Baton's value of it. */
  public static final String SLICE_MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
  public static final String SLICE_MANAGER = "baton.dev";

  private DatabaseTopology() {}

  /** The role Services (and the EndpointSlices of IP endpoints) the spec asks for. */
  public static List<HasMetadata> objects(AppSettings app, OwnerReference owner) {
    DatabaseSpec db = app.database();
    List<HasMetadata> objects = new ArrayList<>();
    if (db == null) {
      return objects;
    }
    if (db.primary != null) {
      objects.addAll(role(app, owner, "db-primary", List.of(db.primary)));
    }
    if (db.readReplicas != null && !db.readReplicas.isEmpty()) {
      objects.addAll(role(app, owner, "db-replicas", db.readReplicas));
    }
    if (db.cache != null) {
      objects.addAll(role(app, owner, "cache", List.of(db.cache)));
    }
    return objects;
  }

  /** The Service name of a role. */
  public static String serviceName(String app, String role) {
    return app + "-" + role;
  }

  /**
   * The template with the connection settings added to every container. A variable the container
   * already sets is left as the user wrote it.
   */
  public static PodTemplateSpec withConnectionEnv(PodTemplateSpec template, String app,
      DatabaseSpec db) {
    if (db == null || template == null || template.getSpec() == null) {
      return template;
    }
    List<EnvVar> env = connectionEnv(app, db);
    PodTemplateSpec copy = new PodTemplateSpecBuilder(template).build();
    for (Container c : copy.getSpec().getContainers()) {
      List<EnvVar> merged = new ArrayList<>(c.getEnv() == null ? List.of() : c.getEnv());
      Set<String> own = merged.stream().map(EnvVar::getName).collect(Collectors.toSet());
      env.stream().filter(e -> !own.contains(e.getName())).forEach(merged::add);
      c.setEnv(merged);
    }
    return copy;
  }

  /** The variables Baton sets; credentials only as secretKeyRef, never as values. */
  static List<EnvVar> connectionEnv(String app, DatabaseSpec db) {
    DatabaseEnv names = db.env != null ? db.env : new DatabaseEnv();
    List<EnvVar> env = new ArrayList<>();
    if (db.primary != null) {
      env.add(value(or(names.primaryHost, "DB_PRIMARY_HOST"), serviceName(app, "db-primary")));
      env.add(value(or(names.primaryPort, "DB_PRIMARY_PORT"), db.primary.port.toString()));
    }
    if (db.readReplicas != null && !db.readReplicas.isEmpty()) {
      env.add(value(or(names.replicasHost, "DB_REPLICAS_HOST"), serviceName(app, "db-replicas")));
      env.add(value(or(names.replicasPort, "DB_REPLICAS_PORT"),
          db.readReplicas.get(0).port.toString()));
      env.add(value(or(names.replicaEndpoints, "DB_REPLICA_ENDPOINTS"), db.readReplicas.stream()
          .map(r -> (r.host != null ? r.host : serviceName(app, "db-replicas")) + ":" + r.port)
          .collect(Collectors.joining(","))));
    }
    if (db.cache != null) {
      env.add(value(or(names.cacheHost, "CACHE_HOST"), serviceName(app, "cache")));
      env.add(value(or(names.cachePort, "CACHE_PORT"), db.cache.port.toString()));
    }
    if (db.credentialsSecretRef != null) {
      var ref = db.credentialsSecretRef;
      env.add(secret(or(names.username, "DB_USERNAME"), ref.name, or(ref.usernameKey, "username")));
      env.add(secret(or(names.password, "DB_PASSWORD"), ref.name, or(ref.passwordKey, "password")));
    }
    return env;
  }

  private static List<HasMetadata> role(AppSettings app, OwnerReference owner, String role,
      List<DatabaseEndpoint> endpoints) {
    String name = serviceName(app.name(), role);
    DatabaseEndpoint first = endpoints.get(0);
    boolean allIps = endpoints.stream().allMatch(e -> e.host != null && isIp(e.host));
    ServiceBuilder service = new ServiceBuilder()
        .withNewMetadata().withName(name).withNamespace(app.namespace())
        .withLabels(labels(app.name(), role)).withOwnerReferences(owner).endMetadata();
    List<HasMetadata> objects = new ArrayList<>();
    if (allIps) {
      service.withNewSpec().withClusterIP("None")
          .addNewPort().withName("db").withProtocol("TCP").withPort(first.port).endPort()
          .endSpec();
      objects.add(stamped(service.build()));
      Map<Integer, List<String>> byPort = new TreeMap<>();
      endpoints.forEach(e -> byPort.computeIfAbsent(e.port, p -> new ArrayList<>()).add(e.host));
      byPort.forEach((port, ips) -> objects.add(stamped(slice(app, owner, name, role, port, ips))));
    } else if (first.selector != null) {
      service.withNewSpec().withType("ClusterIP").withSelector(new TreeMap<>(first.selector))
          .addNewPort().withName("db").withProtocol("TCP").withPort(first.port).endPort()
          .endSpec();
      objects.add(stamped(service.build()));
    } else {
      service.withNewSpec().withType("ExternalName").withExternalName(first.host)
          .addNewPort().withName("db").withProtocol("TCP").withPort(first.port).endPort()
          .endSpec();
      objects.add(stamped(service.build()));
    }
    return objects;
  }

  private static EndpointSlice slice(AppSettings app, OwnerReference owner, String service,
      String role, int port, List<String> ips) {
    Map<String, String> labels = labels(app.name(), role);
    labels.put("kubernetes.io/service-name", service);
    labels.put(SLICE_MANAGED_BY, SLICE_MANAGER);
    EndpointSliceBuilder b = new EndpointSliceBuilder()
        .withNewMetadata().withName(service + "-" + port).withNamespace(app.namespace())
        .withLabels(labels).withOwnerReferences(owner).endMetadata()
        .withAddressType("IPv4")
        .addNewPort().withName("db").withProtocol("TCP").withPort(port).endPort();
    for (String ip : ips) {
      b.addNewEndpoint().withAddresses(ip).withNewConditions().withReady(true).endConditions()
          .endEndpoint();
    }
    return b.build();
  }

  private static Map<String, String> labels(String app, String role) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.APP, app);
    labels.put(Labels.ROLE, role);
    return labels;
  }

  static boolean isIp(String host) {
    return IPV4.matcher(host).matches();
  }

  private static <T extends HasMetadata> T stamped(T object) {
    var meta = object.getMetadata();
    Map<String, String> annotations = new TreeMap<>();
    meta.setAnnotations(annotations);
    annotations.put(Labels.APPLIED, RevisionHasher.hash(object));
    return object;
  }

  private static EnvVar value(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar secret(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef()
        .withName(secret).withKey(key).withOptional(false).endSecretKeyRef().endValueFrom()
        .build();
  }

  private static String or(String value, String fallback) {
    return Objects.requireNonNullElse(value, fallback);
  }
}
