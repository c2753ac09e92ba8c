package dev.baton.testcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Traefik v3, built by {@code hack/cluster.sh build-traefik}, as the test run's proxy: on
 * 127.0.0.1 inside the run's network namespace, reading the test cluster through its Kubernetes
 * Ingress (class {@value #INGRESS_CLASS}), ingress-nginx (class {@value #NGINX_CLASS}), CRD
 * (IngressRoute, TraefikService) and Gateway API (GatewayClass {@value #GATEWAY_CLASS}) providers,
 * writing Gateway and HTTPRoute status, with Prometheus metrics, ping and the API on a second
 * port. Its log goes to {@code target/traefik.log}.
 */
public final class TraefikProcess implements AutoCloseable {

  /** The IngressClass of Traefik's own Ingress provider. */
  public static final String INGRESS_CLASS = "traefik";
  /** The IngressClass Traefik's ingress-nginx provider serves (ingress-nginx's default). */
  public static final String NGINX_CLASS = "nginx";
  /** The GatewayClass whose Gateways Traefik serves. */
  public static final String GATEWAY_CLASS = "traefik";
  /** The controller name Traefik's Gateway API provider writes into route status. */
  public static final String GATEWAY_CONTROLLER = "traefik.io/gateway-controller";

  private final Process process;
  private final int webPort;
  private final int adminPort;

  private TraefikProcess(Process process, int webPort, int adminPort) {
    this.process = process;
    this.webPort = webPort;
    this.adminPort = adminPort;
  }

  /** Starts Traefik against the cluster of {@code kubeconfig} and waits until it answers ping. */
  static TraefikProcess start(Path binary, Path kubeconfig) {
    return start(binary, kubeconfig, freePort(), Path.of("target"));
  }

  /**
   * As {@link #start(Path, Path)}, with the web entry point on {@code web} and the log in
   * {@code logDir}/traefik.log.
   */
  static TraefikProcess start(Path binary, Path kubeconfig, int web, Path logDir) {
    int admin = freePort();
    List<String> command = new ArrayList<>(List.of(binary.toString(),
        // Both default to true, which would contact Traefik's servers.
        "--global.checkNewVersion=false", "--global.sendAnonymousUsage=false",
        "--entryPoints.web.address=127.0.0.1:" + web,
        // API, ping and metrics are served here; its default is :8080 on every interface.
        "--entryPoints.traefik.address=127.0.0.1:" + admin,
        "--api.insecure=true", "--api.dashboard=false", "--ping=true",
        "--metrics.prometheus=true",
        "--log.level=INFO", "--log.noColor=true",
        "--providers.kubernetesIngress=true",
        "--providers.kubernetesIngress.ingressClass=" + INGRESS_CLASS,
        "--providers.kubernetesIngress.ingressEndpoint.ip=127.0.0.1",
        "--providers.kubernetesIngressNGINX=true",
        "--providers.kubernetesIngressNGINX.ingressClass=" + NGINX_CLASS,
        "--providers.kubernetesCRD=true",
        "--providers.kubernetesGateway=true",
        "--providers.kubernetesGateway.statusAddress.ip=127.0.0.1"));
    try {
      Path log = Files.createDirectories(logDir).resolve("traefik.log");
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().put("KUBECONFIG", kubeconfig.toString());
      TraefikProcess traefik = new TraefikProcess(pb.start(), web, admin);
      traefik.awaitPing(log);
      return traefik;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where requests go in: {@code http://127.0.0.1:<web port>/}. */
  public URI web() {
    return URI.create("http://127.0.0.1:" + webPort + "/");
  }

  /** The web entry point's port, which a Gateway's listener names. */
  public int webPort() {
    return webPort;
  }

  /** Traefik's API, ping and metrics: {@code http://127.0.0.1:<admin port>/}. */
  public URI admin() {
    return URI.create("http://127.0.0.1:" + adminPort + "/");
  }

  private void awaitPing(Path log) {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Traefik exited with " + process.exitValue()
            + "; see " + log.toAbsolutePath());
      }
      try {
        var response = http.send(HttpRequest.newBuilder(admin().resolve("ping"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("Traefik did not answer ping within 60 s; see "
        + log.toAbsolutePath());
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
