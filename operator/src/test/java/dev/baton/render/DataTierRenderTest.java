package dev.baton.render;

import static dev.baton.render.RenderFixtures.OWNER;
import static dev.baton.render.RenderFixtures.plan;
import static dev.baton.render.RenderFixtures.snapshot;
import static dev.baton.render.RenderFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.DatabaseEndpoint;
import dev.baton.api.v1alpha1.DatabaseSpec;
import dev.baton.api.v1alpha1.IngressSpec.Provider;
import dev.baton.planning.AppSettings.Strategy;
import dev.baton.planning.DatabaseTopology;
import dev.baton.planning.DesiredObjects;
import dev.baton.planning.Snapshot;
import dev.baton.render.Rendering.Stage;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The data tier in the render: role Services and Baton's slices, and the stale ones that go. */
class DataTierRenderTest {

  /** A primary by IP (a headless Service and Baton's slice) and a cache by DNS name. */
  static DatabaseSpec database() {
    DatabaseSpec db = new DatabaseSpec();
    db.primary = endpoint("10.0.0.5", 3306);
    db.cache = endpoint("redis.cache.svc", 6379);
    return db;
  }

  private static DatabaseEndpoint endpoint(String host, int port) {
    DatabaseEndpoint e = new DatabaseEndpoint();
    e.host = host;
    e.port = port;
    return e;
  }

  private static Snapshot withDatabase(DatabaseSpec db) {
    BatonAppSpec spec = spec(Strategy.BLUE_GREEN, Provider.none);
    spec.database = db;
    return snapshot(spec, "new");
  }

  private static EndpointSlice controllerSlice(String service) {
    return new EndpointSliceBuilder().withNewMetadata().withName(service + "-abcde")
        .withNamespace("ns").addToLabels(Map.of("baton.dev/app", "shop",
            "kubernetes.io/service-name", service,
            DatabaseTopology.SLICE_MANAGED_BY, "endpointslice-controller.k8s.io"))
        .endMetadata().build();
  }

  @Test
  void theRoleServicesAndBatonsSlicesAreOneWaveAfterTheServices() {
    Snapshot s = withDatabase(database());
    Rendering r = Renderer.children(s, plan(s).services("new", "new").build(), OWNER,
        AppChildren.NONE);

    assertThat(r.waves()).map(Rendering.Wave::stage)
        .containsExactly(Stage.SERVICES, Stage.DATA_TIER);
    assertThat(r.waves().get(1).writes()).map(w -> w.object().getMetadata().getName())
        .containsExactly("shop-db-primary", "shop-db-primary-3306", "shop-cache");
  }

  @Test
  void rolesNoLongerInTheSpecLoseTheirServiceAndBatonsSlicesButNeverTheControllers() {
    // Last reconcile: primary and cache, and replicas by IP.
    DatabaseSpec before = database();
    before.readReplicas = List.of(endpoint("10.0.0.6", 3306));
    Snapshot earlier = withDatabase(before);
    List<HasMetadata> written = DatabaseTopology.objects(earlier.app(), OWNER);
    Service active = DesiredObjects.activeService(earlier.app(), OWNER, "new");
    Service unrelated = new ServiceBuilder().withNewMetadata().withName("shop-extra")
        .withNamespace("ns").addToLabels("baton.dev/app", "shop").endMetadata().build();
    AppChildren existing = new AppChildren(List.of(), List.of(),
        List.of(active, unrelated, service(written, "shop-db-primary"),
            service(written, "shop-db-replicas"), service(written, "shop-cache")),
        List.of(slice(written, "shop-db-primary-3306"), slice(written, "shop-db-replicas-3306"),
            controllerSlice("shop-db-primary")),
        Map.of(), List.of());

    // Now: the replicas are gone, the primary moved to a DNS name (no slice any more).
    DatabaseSpec now = database();
    now.primary = endpoint("mysql-0.db.svc", 3306);
    Snapshot s = withDatabase(now);
    Rendering r = Renderer.children(s, plan(s).services("new", "new").build(), OWNER, existing);

    assertThat(r.removed()).map(o -> o.getKind() + "/" + o.getMetadata().getName())
        .containsExactly("Service/shop-db-replicas", "EndpointSlice/shop-db-primary-3306",
            "EndpointSlice/shop-db-replicas-3306");
  }

  private static Service service(List<HasMetadata> objects, String name) {
    return (Service) objects.stream().filter(o -> name.equals(o.getMetadata().getName()))
        .findFirst().orElseThrow();
  }

  private static EndpointSlice slice(List<HasMetadata> objects, String name) {
    return (EndpointSlice) objects.stream().filter(o -> name.equals(o.getMetadata().getName()))
        .findFirst().orElseThrow();
  }
}
