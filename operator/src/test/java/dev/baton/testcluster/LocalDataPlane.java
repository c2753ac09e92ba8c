package dev.baton.testcluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The test suite's data plane for a person (hack/run-local.sh, through hack/local-dataplane.sh):
 * the pod server answering on every pod's address and Traefik in front of it, run inside the
 * network namespace that script made, until the process is stopped.
 *
 * <p>Arguments: the kubeconfig, Traefik's binary, the web port Traefik listens on (127.0.0.1) and
 * the directory for Traefik's log. Prints one line, {@code [dataplane] serving on
 * 127.0.0.1:<port>}, once Traefik answers.
 */
public final class LocalDataPlane {

  private LocalDataPlane() {}

  /** Runs until SIGTERM or SIGINT. */
  public static void main(String[] args) throws InterruptedException {
    if (args.length != 4) {
      System.err.println("usage: LocalDataPlane KUBECONFIG TRAEFIK_BINARY WEB_PORT LOG_DIR");
      System.exit(2);
    }
    Path kubeconfig = Path.of(args[0]);
    Path traefikBinary = Path.of(args[1]);
    int web = Integer.parseInt(args[2]);
    if (!Files.isExecutable(traefikBinary)) {
      System.err.println("[dataplane] no Traefik at " + traefikBinary
          + " (hack/cluster.sh build-traefik)");
      System.exit(1);
    }
    KubernetesClient admin = DataPlane.adminClient(kubeconfig);
    PodServer pods = PodServer.start(admin);
    DataPlane.installClasses(admin);
    TraefikProcess traefik = TraefikProcess.start(traefikBinary, kubeconfig, web,
        Path.of(args[3]));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      traefik.close();
      pods.close();
      admin.close();
      stopped.countDown();
    }, "dataplane-down"));
    System.out.println("[dataplane] serving on 127.0.0.1:" + web);
    stopped.await();
  }
}
