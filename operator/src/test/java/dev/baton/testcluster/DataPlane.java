package dev.baton.testcluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The test run's real data plane, one per JVM: the {@link PodServer} answering on every pod's
 * address and Traefik in front of it, both inside the run's network namespace. Exists only when
 * hack/test.sh made that namespace ({@code BATON_TRAFFIC_RANGE} set, a pod address bindable);
 * otherwise (plain {@code mvn verify}, a kind cluster through KUBECONFIG) the traffic checks are
 * skipped and {@link #unavailableReason()} says why.
 */
public final class DataPlane {

  private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);
  private static final String RANGE_ENV = "BATON_TRAFFIC_RANGE";

  private static DataPlane instance;
  private static String noPods;
  private static String noProxy;

  private final KubernetesClient admin;
  private final PodServer pods;
  private final TraefikProcess traefik;
  private final Set<String> gatewaysMade = ConcurrentHashMap.newKeySet();

  private DataPlane(KubernetesClient admin, PodServer pods, TraefikProcess traefik) {
    this.admin = admin;
    this.pods = pods;
    this.traefik = traefik;
  }

  /**
   * The data plane for the cluster's run, started on first use; null when pod addresses are not
   * local here. Its proxy is null when Traefik cannot run ({@link #unavailableReason()} says why).
   */
  static synchronized DataPlane of(TestCluster cluster) {
    if (instance != null || noPods != null) {
      return instance;
    }
    noPods = whyNoPods();
    if (noPods != null) {
      LOG.warn("Real traffic is NOT checked in this run: {}", noPods);
      return null;
    }
    KubernetesClient admin = adminClient(cluster.kubeconfig());
    PodServer pods = PodServer.start(admin);
    noProxy = whyNoProxy();
    TraefikProcess traefik = null;
    if (noProxy == null) {
      installClasses(admin);
      traefik = TraefikProcess.start(traefikBinary(), cluster.kubeconfig());
      LOG.info("Real traffic: pod server on {} addresses, Traefik on {}",
          System.getenv(RANGE_ENV), traefik.web());
    } else {
      LOG.warn("Pod server on {} addresses, but real traffic is NOT checked: {}",
          System.getenv(RANGE_ENV), noProxy);
    }
    instance = new DataPlane(admin, pods, traefik);
    Runtime.getRuntime().addShutdownHook(new Thread(instance::close, "data-plane-down"));
    return instance;
  }

  /** The run's pod server, or null when pod addresses are not local here. */
  public static PodServer podServer(TestCluster cluster) {
    DataPlane plane = of(cluster);
    return plane == null ? null : plane.pods;
  }

  /**
   * Where Traefik serves its Prometheus metrics ({@code host:port}, path {@code /metrics}), for
   * a test's Prometheus to scrape; null when this run has no proxy.
   */
  public static String traefikMetricsTarget(TestCluster cluster) {
    DataPlane plane = of(cluster);
    if (plane == null || plane.traefik == null) {
      return null;
    }
    return plane.traefik.admin().getHost() + ":" + plane.traefik.admin().getPort();
  }

  /** Why this run sends no traffic through a proxy, or null when it does (or will). */
  public static synchronized String unavailableReason() {
    String pods = noPods != null || instance != null ? noPods : whyNoPods();
    if (pods != null) {
      return pods;
    }
    return instance != null ? noProxy : whyNoProxy();
  }

  /** Why pods cannot answer HTTP in this run, or null when they can. */
  public static synchronized String podsUnavailableReason() {
    return noPods != null || instance != null ? noPods : whyNoPods();
  }

  private static String whyNoPods() {
    String range = System.getenv(RANGE_ENV);
    if (range == null || range.isBlank()) {
      return "the tests do not run in hack/test.sh's network namespace (" + RANGE_ENV
          + " unset: plain `mvn verify`, or KUBECONFIG named another cluster); run hack/test.sh"
          + " without KUBECONFIG for the zero-failed-request checks";
    }
    String first = range.substring(0, range.indexOf('/'));
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getByName(first.replaceAll("\\.0$", ".1")), 0));
    } catch (IOException e) {
      return RANGE_ENV + "=" + range + " but its addresses are not local here (" + e.getMessage()
          + ")";
    }
    return null;
  }

  private static String whyNoProxy() {
    if (traefikBinary() == null) {
      return "Traefik is not built (hack/cluster.sh build-traefik; hack/test.sh does it)";
    }
    if (System.getProperty("jdk.httpclient.allowRestrictedHeaders", "").indexOf("host") < 0) {
      return "the JVM lacks -Djdk.httpclient.allowRestrictedHeaders=host (Failsafe's argLine sets"
          + " it), so the load generator cannot address apps by host";
    }
    return null;
  }

  /** The cached Traefik binary, or null when it is not built: building needs the network. */
  private static Path traefikBinary() {
    ClusterProcess.Result path = ClusterProcess.tryRun("path", "traefik");
    if (path.exitCode() != 0 || !Files.isExecutable(Path.of(path.stdout().trim()))) {
      return null;
    }
    return Path.of(path.stdout().trim());
  }

  static KubernetesClient adminClient(Path kubeconfig) {
    try {
      return new KubernetesClientBuilder()
          .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The IngressClasses and the GatewayClass Traefik serves. */
  static void installClasses(KubernetesClient admin) {
    for (var c : Map.of(TraefikProcess.INGRESS_CLASS, "traefik.io/ingress-controller",
        TraefikProcess.NGINX_CLASS, "k8s.io/ingress-nginx").entrySet()) {
      admin.resource(new IngressClassBuilder().withNewMetadata().withName(c.getKey())
          .endMetadata().withNewSpec().withController(c.getValue()).endSpec().build())
          .fieldManager("baton-tests").forceConflicts().serverSideApply();
    }
    GenericKubernetesResource gatewayClass = new GenericKubernetesResource();
    gatewayClass.setApiVersion("gateway.networking.k8s.io/v1");
    gatewayClass.setKind("GatewayClass");
    gatewayClass.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withName(TraefikProcess.GATEWAY_CLASS).build());
    gatewayClass.setAdditionalProperty("spec",
        Map.of("controllerName", TraefikProcess.GATEWAY_CONTROLLER));
    admin.resource(gatewayClass).fieldManager("baton-tests").forceConflicts().serverSideApply();
  }

  /**
   * A Gateway named {@code name} in the namespace, served by Traefik on its web entry point
   * (routes of the same namespace only), created once.
   */
  void ensureGateway(String namespace, String name) {
    if (!gatewaysMade.add(namespace + "/" + name)) {
      return;
    }
    GenericKubernetesResource gateway = new GenericKubernetesResource();
    gateway.setApiVersion("gateway.networking.k8s.io/v1");
    gateway.setKind("Gateway");
    gateway.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name)
        .withNamespace(namespace).build());
    gateway.setAdditionalProperty("spec", Map.of(
        "gatewayClassName", TraefikProcess.GATEWAY_CLASS,
        "listeners", List.of(Map.of("name", "web", "protocol", "HTTP",
            "port", traefik.webPort()))));
    admin.resource(gateway).fieldManager("baton-tests").forceConflicts().serverSideApply();
  }

  PodServer pods() {
    return pods;
  }

  TraefikProcess traefik() {
    return traefik;
  }

  KubernetesClient admin() {
    return admin;
  }

  private synchronized void close() {
    if (traefik != null) {
      traefik.close();
    }
    pods.close();
    admin.close();
  }
}
