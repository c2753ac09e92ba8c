package dev.baton.apply;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.planning.PlannedEvent;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Emits Kubernetes Events on a BatonApp, so {@code kubectl describe} tells its story. */
public final class EventRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final String COMPONENT = "baton-operator";
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final KubernetesClient client;

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The Event's name: the app's, then a digest of the transition (reason and message) and of the
   * BatonApp's resourceVersion it was decided from. A reconcile that repeats a decision because
   * its status write never happened reads the same resourceVersion and so names the same Event.
   * An Event with a {@link PlannedEvent#key() key} is named by it instead (a switch, which the
   * reconcile completing its record names alike even when the app changed meanwhile).
   */
  public static String nameOf(BatonApp app, PlannedEvent event) {
    String uid = app.getMetadata().getUid() == null ? "" : app.getMetadata().getUid();
    if (event.key() != null) {
      return app.getMetadata().getName() + "."
          + dev.baton.planning.RevisionHasher.hash(java.util.List.of(uid, event.key()));
    }
    String rv = app.getMetadata().getResourceVersion();
    if (rv == null) {
      return app.getMetadata().getName() + "." + Long.toHexString(System.nanoTime())
          + Long.toHexString(SEQUENCE.incrementAndGet());
    }
    String digest = dev.baton.planning.RevisionHasher.hash(java.util.List.of(uid, rv,
        event.reason(), event.message()));
    return app.getMetadata().getName() + "." + digest;
  }

  public void emit(BatonApp app, PlannedEvent event) {
    String now = Instant.now().toString();
    var meta = app.getMetadata();
    try {
      client.v1().events().inNamespace(meta.getNamespace()).resource(new EventBuilder()
          .withNewMetadata()
          .withName(nameOf(app, event))
          .withNamespace(meta.getNamespace())
          .endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder()
              .withApiVersion(app.getApiVersion())
              .withKind(app.getKind())
              .withName(meta.getName())
              .withNamespace(meta.getNamespace())
              .withUid(meta.getUid())
              .withResourceVersion(meta.getResourceVersion())
              .build())
          .withType(event.warning() ? "Warning" : "Normal")
          .withReason(event.reason())
          .withMessage(event.message())
          .withFirstTimestamp(now)
          .withLastTimestamp(now)
          .withCount(1)
          .withNewSource().withComponent(COMPONENT).endSource()
          .withReportingComponent(COMPONENT)
          .build()).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        // The same transition decided again from the same status (the reconcile that decided it
        // stopped before its status write), or a switch's record completed after its Event got
        // out: the Event is there already, once.
        LOG.debug("Event {} on {}/{} already recorded", event.reason(), meta.getNamespace(),
            meta.getName());
        return;
      }
      // An Event is a courtesy: failing to write one must never fail the reconcile.
      LOG.warn("Could not record event {} on {}/{}: {}", event.reason(), meta.getNamespace(),
          meta.getName(), e.getMessage());
    }
  }
}
