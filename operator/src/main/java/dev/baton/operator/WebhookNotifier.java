package dev.baton.operator;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.WebhookSpec;
import dev.baton.planning.PlannedEvent;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends rollout notifications (started, promoted, aborted, rolled back) to the app's webhook and
 * the operator-wide one. Sending is asynchronous: a slow or failing receiver never holds a
 * reconcile. Failures are retried with exponential backoff (1, 2, 4, 8 s) and counted in
 * {@code baton_notifications_total}. A URL read from a Secret is never logged.
 */
public final class WebhookNotifier implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);
  private static final int ATTEMPTS = 5;
  private static final Map<String, String> EVENTS = Map.of(
      "RolloutStarted", "started",
      "Promoted", "promoted",
      "RolloutAborted", "aborted",
      "RollbackStarted", "rolledBack",
      "RolledBack", "rolledBack");

  private final KubernetesClient client;
  private final BatonMetrics metrics;
  private final Optional<WebhookSpec> operatorWide;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread t = new Thread(r, "baton-webhooks");
        t.setDaemon(true);
        return t;
      });
  private final KubernetesSerialization json = new KubernetesSerialization();

  /**
   * @param operatorWide a webhook for every app (from the operator's settings), if any
   */
  public WebhookNotifier(KubernetesClient client, BatonMetrics metrics,
      Optional<WebhookSpec> operatorWide, Clock clock) {
    this.client = client;
    this.metrics = metrics;
    this.operatorWide = operatorWide;
    this.clock = clock;
  }

  /** Queues the notifications a reconcile's events call for (one per kind); returns at once. */
  public void notify(BatonApp app, List<PlannedEvent> events, int revision) {
    java.util.Set<String> sent = new java.util.HashSet<>();
    for (PlannedEvent event : events) {
      String kind = EVENTS.get(event.reason());
      if (kind != null && sent.add(kind)) {
        notify(app, kind, event.message(), revision);
      }
    }
  }

  private void notify(BatonApp app, String kind, String message, int revision) {
    List<WebhookSpec> hooks = new ArrayList<>();
    operatorWide.ifPresent(hooks::add);
    if (app.getSpec() != null && app.getSpec().notifications != null
        && app.getSpec().notifications.webhook != null) {
      hooks.add(app.getSpec().notifications.webhook);
    }
    String namespace = app.getMetadata().getNamespace();
    String name = app.getMetadata().getName();
    String time = clock.instant().toString();
    for (WebhookSpec hook : hooks) {
      executor.execute(() -> send(hook, namespace, name,
          payload(hook, kind, namespace, name, revision, message, time), 1));
    }
  }

  private String payload(WebhookSpec hook, String kind, String namespace, String name,
      int revision, String message, String time) {
    if (hook.format == WebhookSpec.Format.slack) {
      return json.asJson(Map.of("text", "Baton " + namespace + "/" + name + " " + kind
          + " (revision " + revision + "): " + message));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", kind);
    body.put("namespace", namespace);
    body.put("app", name);
    body.put("revision", revision);
    body.put("message", message);
    body.put("time", time);
    return json.asJson(body);
  }

  private void send(WebhookSpec hook, String namespace, String app, String body, int attempt) {
    String where = namespace + "/" + app;
    try {
      Optional<String> url = urlOf(hook, namespace);
      if (url.isEmpty()) {
        metrics.notification("failed");
        LOG.warn("Webhook of {}: its URL Secret or key is missing; notification dropped", where);
        return;
      }
      HttpRequest request = HttpRequest.newBuilder(URI.create(url.get()))
          .timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
          .build();
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status / 100 == 2) {
        metrics.notification("delivered");
        return;
      }
      retry(hook, namespace, app, body, attempt, "HTTP " + status);
    } catch (java.io.IOException | IllegalArgumentException e) {
      retry(hook, namespace, app, body, attempt, e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void retry(WebhookSpec hook, String namespace, String app, String body, int attempt,
      String why) {
    if (attempt >= ATTEMPTS) {
      metrics.notification("failed");
      LOG.warn("Webhook of {}/{} failed {} times ({}); notification dropped", namespace, app,
          attempt, why);
      return;
    }
    metrics.notification("retried");
    long delay = 1L << (attempt - 1);
    executor.schedule(() -> send(hook, namespace, app, body, attempt + 1), delay,
        TimeUnit.SECONDS);
  }

  private Optional<String> urlOf(WebhookSpec hook, String namespace) {
    if (hook.url != null) {
      return Optional.of(hook.url);
    }
    if (hook.urlFrom == null || hook.urlFrom.secretKeyRef == null) {
      return Optional.empty();
    }
    var ref = hook.urlFrom.secretKeyRef;
    Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
    if (secret == null || secret.getData() == null || secret.getData().get(ref.getKey()) == null) {
      return Optional.empty();
    }
    return Optional.of(new String(Base64.getDecoder().decode(secret.getData().get(ref.getKey())),
        StandardCharsets.UTF_8).trim());
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
