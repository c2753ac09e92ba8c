package dev.baton.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.testcluster.DataPlane;
import dev.baton.testcluster.KwokBehavior;
import dev.baton.testcluster.PodServer;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The harness' pod server plays KWOK's pods the way their containers would: HTTP on each pod's
 * address, readiness agreeing with the KWOK controls, the Ready-but-bad annotations, and a deleted
 * pod serving through its grace period, then closing. Requests go straight to pod addresses.
 */
@ExtendWith(TestClusterExtension.class)
class PodServerIT {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeEach
  void podsAnswer(TestCluster cluster) {
    Assumptions.assumeTrue(DataPlane.podServer(cluster) != null,
        () -> "pods do not answer HTTP in this run: " + DataPlane.podsUnavailableReason());
  }

  private static Deployment deployment(String name, String behavior, Map<String, String> notes,
      long grace) {
    Map<String, String> labels = new HashMap<>(Map.of("app", name,
        "baton.dev/revision-hash", "abc" + name.length()));
    if (behavior != null) {
      labels.put(KwokBehavior.LABEL, behavior);
    }
    return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
        .withReplicas(1).withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(labels).withAnnotations(notes)
        .endMetadata().withNewSpec().withTerminationGracePeriodSeconds(grace).addNewContainer()
        .withName("api").withImage("registry.example.com/" + name + ":1").addNewPort()
        .withName("http").withContainerPort(8080).endPort().withNewReadinessProbe()
        .withNewHttpGet().withPath("/healthz").withNewPort("http").endHttpGet()
        .endReadinessProbe().endContainer().endSpec().endTemplate().endSpec().build();
  }

  /** Creates the Deployment and returns its one pod once it is Running with an address. */
  private static Pod runningPod(KubernetesClient client, Deployment d) {
    client.resource(d).create();
    String app = d.getMetadata().getName();
    await().atMost(Duration.ofSeconds(60)).until(() -> client.pods().withLabel("app", app).list()
        .getItems().stream().anyMatch(p -> p.getStatus().getPodIP() != null
            && "Running".equals(p.getStatus().getPhase())));
    return client.pods().withLabel("app", app).list().getItems().get(0);
  }

  private static HttpResponse<String> get(Pod pod, String path) throws IOException {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + pod.getStatus().getPodIP()
          + ":8080" + path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Test
  void aReadyPodAnswersEveryPathWithItsNameAndRevisionAndIsReady(TestCluster cluster)
      throws Exception {
    Pod pod = runningPod(cluster.client(), deployment("plain", null, Map.of(), 30));
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> get(pod, "/healthz").statusCode() == 200);

    HttpResponse<String> answer = get(pod, "/any/path?x=1");
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).contains(pod.getMetadata().getName());
    assertThat(answer.headers().firstValue(PodServer.POD_HEADER))
        .contains(pod.getMetadata().getName());
    assertThat(answer.headers().firstValue(PodServer.REVISION_HEADER)).contains("abc5");
    assertThat(answer.headers().firstValue(PodServer.IMAGE_HEADER))
        .contains("registry.example.com/plain:1");
  }

  @Test
  void aNeverReadyPodServesButItsReadinessPathAnswers503(TestCluster cluster) throws Exception {
    Pod pod = runningPod(cluster.client(), deployment("unready", KwokBehavior.NEVER_READY,
        Map.of(), 30));
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> get(pod, "/").statusCode() == 200);
    assertThat(get(pod, "/healthz").statusCode()).isEqualTo(503);
  }

  @Test
  void aCrashLoopingPodRefusesConnections(TestCluster cluster) {
    Pod pod = runningPod(cluster.client(), deployment("crashing", KwokBehavior.CRASH_LOOP,
        Map.of(), 30));
    assertThatThrownBy(() -> get(pod, "/")).isInstanceOf(java.net.ConnectException.class);
  }

  @Test
  void aReadyButBadVersionAnswers500AfterItsLatency(TestCluster cluster) throws Exception {
    Pod pod = runningPod(cluster.client(), deployment("broken", null,
        Map.of(PodServer.ERROR_RATE, "1", PodServer.LATENCY, "300ms"), 30));
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> get(pod, "/healthz").statusCode() == 200);

    long start = System.nanoTime();
    HttpResponse<String> answer = get(pod, "/orders");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(
        Duration.ofMillis(300));
    assertThat(answer.statusCode()).isEqualTo(500);
    assertThat(answer.headers().firstValue(PodServer.POD_HEADER))
        .contains(pod.getMetadata().getName());
  }

  @Test
  void aDeletedPodServesThroughItsGracePeriodThenCloses(TestCluster cluster) throws Exception {
    KubernetesClient client = cluster.client();
    Pod pod = runningPod(client, deployment("leaving", null, Map.of(), 8));
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> get(pod, "/").statusCode() == 200);

    client.apps().deployments().withName("leaving").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> client.pods()
        .withName(pod.getMetadata().getName()).get() == null);
    // Gone from the API, still serving: the grace period runs.
    List<Integer> answers = new java.util.ArrayList<>();
    answers.add(get(pod, "/").statusCode());
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
      try {
        get(pod, "/");
        return false;
      } catch (java.net.ConnectException closed) {
        return true;
      }
    });
    assertThat(answers).containsExactly(200);
  }
}
