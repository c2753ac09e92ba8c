package dev.baton.testcluster;

import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.IngressSpec;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real traffic to one app for a rollout test: a steady {@value #RATE} requests a second through
 * Traefik, by the app's host and first path, recorded in a {@link TrafficLedger}. Start it once the
 * app is Healthy; it waits until the proxy serves the app before it counts anything.
 *
 * <p>{@code provider: none} apps are reached through an Ingress of the harness to the app's active
 * Service ({@code <app>.<namespace>.baton.test}), as a user's own ingress controller would;
 * {@code gatewayAPI} apps get the Gateway their route names. Without a {@link DataPlane} (not run
 * by hack/test.sh, or on kind) nothing is sent and every assertion passes; the log says so.
 *
 * <p>Bounds, measured on the 2-core test machine (see the README): a weight is judged on at least
 * {@value #SHARE_SAMPLE} answers, within {@value #SHARE_TOLERANCE} percentage points; after Baton
 * reports a switch, only the new version answers within {@link #PROPAGATION_BOUND}.
 */
public final class AppTraffic implements AutoCloseable {

  /** Requests a second per app. */
  public static final int RATE = 20;
  /** Answers a share is judged on. */
  public static final int SHARE_SAMPLE = 60;
  /** How far a share may be from the weight, in percentage points. */
  public static final int SHARE_TOLERANCE = 10;
  /**
   * From Baton's status saying a version takes all traffic to the proxy sending it all:
   * EndpointSlice or route watch, Traefik's 2 s provider throttle, and headroom.
   */
  public static final Duration PROPAGATION_BOUND = Duration.ofSeconds(6);

  private static final Logger LOG = LoggerFactory.getLogger(AppTraffic.class);

  private final String app;
  private final LoadGenerator load;

  private AppTraffic(String app, LoadGenerator load) {
    this.app = app;
    this.load = load;
  }

  /** Starts sending to the app (as created; it should be Healthy) and waits until it is served. */
  public static AppTraffic start(TestCluster cluster, BatonApp app) {
    return start(cluster, app, RATE);
  }

  /** As {@link #start(TestCluster, BatonApp)}, at {@code perSecond} requests a second. */
  public static AppTraffic start(TestCluster cluster, BatonApp app, int perSecond) {
    String name = app.getMetadata().getName();
    IngressSpec ingress = app.getSpec().ingress;
    IngressSpec.Provider provider = ingress == null || ingress.provider == null
        ? IngressSpec.Provider.none : ingress.provider;
    if (provider == IngressSpec.Provider.none) {
      int port = app.getSpec().service == null || app.getSpec().service.port == null ? 80
          : app.getSpec().service.port;
      return toService(cluster, name, port, perSecond);
    }
    DataPlane plane = DataPlane.of(cluster);
    if (plane == null || plane.traefik() == null) {
      return unchecked(name);
    }
    String path = ingress.paths == null || ingress.paths.isEmpty() ? "/" : ingress.paths.get(0);
    if (provider == IngressSpec.Provider.gatewayAPI && ingress.gatewayAPI != null) {
      for (IngressSpec.ParentRef parent : ingress.gatewayAPI.parentRefs) {
        plane.ensureGateway(parent.namespace != null ? parent.namespace : cluster.namespace(),
            parent.name);
      }
    }
    return send(plane, name, ingress.host, path, perSecond);
  }

  /**
   * Traffic to a Service of the test's namespace through an Ingress of the harness (host
   * {@code <service>.<namespace>.baton.test}), as a user's ingress controller would send it.
   */
  public static AppTraffic toService(TestCluster cluster, String service, int port) {
    return toService(cluster, service, port, RATE);
  }

  private static AppTraffic toService(TestCluster cluster, String service, int port,
      int perSecond) {
    DataPlane plane = DataPlane.of(cluster);
    if (plane == null || plane.traefik() == null) {
      return unchecked(service);
    }
    String host = service + "." + cluster.namespace() + ".baton.test";
    cluster.client().resource(new IngressBuilder().withNewMetadata()
        .withName(service + "-traffic").endMetadata().withNewSpec()
        .withIngressClassName(TraefikProcess.INGRESS_CLASS).addNewRule().withHost(host)
        .withNewHttp().addNewPath().withPath("/").withPathType("Prefix").withNewBackend()
        .withNewService().withName(service).withNewPort().withNumber(port).endPort().endService()
        .endBackend().endPath().endHttp().endRule().endSpec().build())
        .fieldManager("baton-tests").forceConflicts().serverSideApply();
    return send(plane, service, host, "/", perSecond);
  }

  private static AppTraffic unchecked(String name) {
    LOG.warn("{}: real traffic not checked: {}", name, DataPlane.unavailableReason());
    return new AppTraffic(name, null);
  }

  private static AppTraffic send(DataPlane plane, String name, String host, String path,
      int perSecond) {
    LoadGenerator load = LoadGenerator.start(plane.traefik().web(), host, path, perSecond);
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> load.probe().status() == 200);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      TrafficLedger.Outcome last = load.probe();
      load.close();
      throw new AssertionError("Traefik did not serve " + host + path + " within 60 s; last answer: "
          + last + " (Traefik's log: target/traefik.log)", e);
    }
    load.record();
    return new AppTraffic(name, load);
  }

  /** False when this run has no data plane: nothing is sent, every assertion passes. */
  public boolean checked() {
    return load != null;
  }

  /** The ledger; only when {@link #checked()}. */
  public TrafficLedger ledger() {
    if (load == null) {
      throw new IllegalStateException("no traffic in this run: " + DataPlane.unavailableReason());
    }
    return load.ledger();
  }

  /** Zero failed requests so far. */
  public void assertNoFailedRequests() {
    if (load != null) {
      load.ledger().assertNoFailedRequests();
    }
  }

  /** Failed requests only where {@code allowed} says (a version broken on purpose). */
  public void assertFailuresOnlyWhere(Predicate<TrafficLedger.Outcome> allowed, String why) {
    if (load != null) {
      load.ledger().assertFailuresOnlyWhere(allowed, why);
    }
  }

  /**
   * From {@code reported} (when the test saw Baton report the weight), waits out the propagation
   * bound and {@value #SHARE_SAMPLE} answers, then checks that {@code revision} answered
   * {@code percent} of them within {@value #SHARE_TOLERANCE} points.
   */
  public void assertShare(String revision, int percent, Instant reported) {
    if (load == null) {
      return;
    }
    Instant from = reported.plus(PROPAGATION_BOUND);
    awaitAnswersSince(from, SHARE_SAMPLE);
    load.ledger().assertShare(revision, percent, SHARE_TOLERANCE, SHARE_SAMPLE, from,
        Instant.now());
    LOG.info("{}: {}% for {} as weighted: {}", app, percent, revision,
        load.ledger().servedBy(TrafficLedger.Outcome::revision, from, Instant.now()));
  }

  /**
   * Baton reported at {@code reported} that {@code revision} takes all traffic: waits until it
   * has answered {@value #STREAK} requests in a row (or the bound passed) and checks that no other
   * revision answered later than {@link #PROPAGATION_BOUND} after the report. Returns the delay.
   */
  public Duration assertOnlyRevisionAfter(String revision, Instant reported) {
    return assertOnlyAfter(TrafficLedger.Outcome::revision, revision, reported);
  }

  /** As {@link #assertOnlyRevisionAfter}, with the version told by {@code key} (e.g. image). */
  public Duration assertOnlyAfter(Function<TrafficLedger.Outcome, String> key, String version,
      Instant reported) {
    if (load == null) {
      return Duration.ZERO;
    }
    await().atMost(PROPAGATION_BOUND.plusSeconds(LoadGenerator.REQUEST_TIMEOUT.toSeconds() + 5))
        .pollInterval(Duration.ofMillis(100)).until(() -> {
          List<TrafficLedger.Outcome> after = load.ledger().sentBetween(reported, Instant.MAX);
          int streak = 0;
          for (int i = after.size() - 1; i >= 0 && version.equals(key.apply(after.get(i))); i--) {
            streak++;
          }
          return streak >= STREAK || Instant.now().isAfter(reported.plus(PROPAGATION_BOUND)
              .plus(LoadGenerator.REQUEST_TIMEOUT));
        });
    return load.ledger().assertOnlyAfter(key, version, reported, PROPAGATION_BOUND);
  }

  /** Answers in a row from the new version that end the wait for propagation. */
  static final int STREAK = 20;

  private void awaitAnswersSince(Instant from, int answers) {
    await().atMost(PROPAGATION_BOUND.plusSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> load.ledger().sentBetween(from, Instant.MAX).stream()
            .filter(o -> !o.failed()).count() >= answers);
  }

  /** Stops sending (the requests in flight land in the ledger) and logs the ledger's summary. */
  @Override
  public void close() {
    if (load != null) {
      load.close();
      TrafficLedger ledger = load.ledger();
      LOG.info("traffic {}", ledger.summary());
      if (!ledger.outcomes().isEmpty()) {
        TrafficFigures.line(ledger.summary());
      }
    }
  }
}
