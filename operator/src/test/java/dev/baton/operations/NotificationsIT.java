package dev.baton.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.NotificationsSpec;
import dev.baton.api.v1alpha1.WebhookSpec;
import dev.baton.bluegreen.Apps;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import dev.baton.testcluster.WithOperator;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Webhook notifications, received by a server the test runs on 127.0.0.1: the URL comes from a
 * Secret, the payload is Slack's, and a failing receiver is retried without holding the rollout.
 */
@ExtendWith({TestClusterExtension.class, WithOperator.class})
class NotificationsIT {

  @Test
  void startedAndPromotedReachTheWebhookAfterRetries(TestCluster cluster) throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      // The first delivery fails: Baton must retry it, and must not wait for it.
      int status = calls.incrementAndGet() == 1 ? 503 : 200;
      if (status == 200) {
        received.add(new String(body, StandardCharsets.UTF_8));
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
    try {
      KubernetesClient client = cluster.client();
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook/"
          + dev.baton.testcluster.SecretLeakScanner.token("webhook-path");
      client.resource(new SecretBuilder().withNewMetadata().withName("hooks").endMetadata()
          .addToStringData("url", url).build()).create();
      BatonApp app = Apps.example(client, "noisy");
      app.getSpec().notifications = new NotificationsSpec();
      app.getSpec().notifications.webhook = new WebhookSpec();
      app.getSpec().notifications.webhook.format = WebhookSpec.Format.slack;
      app.getSpec().notifications.webhook.urlFrom = new WebhookSpec.UrlSource();
      app.getSpec().notifications.webhook.urlFrom.secretKeyRef =
          new SecretKeySelector("url", "hooks", false);
      Apps.deployHealthy(client, app).close();

      Apps.setImage(client, "noisy", "registry.example.com/shop/api:2");
      Apps.awaitStatus(client, "noisy", a -> Integer.valueOf(2).equals(a.getStatus().activeRevision));

      await().atMost(Apps.TIMEOUT).untilAsserted(() -> assertThat(received)
          .anySatisfy(b -> assertThat(b).startsWith("{\"text\":").contains("noisy started"))
          .anySatisfy(b -> assertThat(b).contains("noisy promoted (revision 2)")));
      assertThat(calls.get()).isGreaterThan(received.size());
      assertThat(String.join("\n", received)).doesNotContain(url);
    } finally {
      server.stop(0);
    }
  }
}
