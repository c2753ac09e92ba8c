package dev.baton.render;

import static dev.baton.render.RenderFixtures.OWNER;
import static dev.baton.render.RenderFixtures.plan;
import static dev.baton.render.RenderFixtures.snapshot;
import static dev.baton.render.RenderFixtures.spec;
import static dev.baton.render.RenderFixtures.template;
import static dev.baton.render.RenderFixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.IngressSpec.Provider;
import dev.baton.planning.AppSettings.Strategy;
import dev.baton.planning.DesiredObjects;
import dev.baton.planning.Labels;
import dev.baton.planning.Plan;
import dev.baton.planning.Snapshot;
import dev.baton.planning.StoredRevision;
import dev.baton.render.Rendering.Mode;
import dev.baton.render.Rendering.Stage;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The renderer's object set and wave order for each strategy, and what it drops. "old" (revision
 * 1, image shop:1) is live; "new" (revision 2, image shop:2) is the target.
 */
class RendererTest {

  private static final StoredRevision OLD = new StoredRevision(1, "old", template("shop:1"));
  private static final StoredRevision NEW = new StoredRevision(2, "new", template("shop:2"));

  private static Snapshot blueGreen() {
    return snapshot(spec(Strategy.BLUE_GREEN, Provider.none), "new", OLD);
  }

  private static List<Stage> stages(Rendering r) {
    return r.waves().stream().map(Rendering.Wave::stage).toList();
  }

  private static List<String> names(List<HasMetadata> objects) {
    return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
  }

  private static Map<String, String> selector(HasMetadata service) {
    return ((Service) service).getSpec().getSelector();
  }

  private static String image(HasMetadata deployment) {
    return ((Deployment) deployment).getSpec().getTemplate().getSpec().getContainers().get(0)
        .getImage();
  }

  private static Deployment cachedDeployment(Snapshot s, String hash, String image) {
    return DesiredObjects.deployment(s.app(), OWNER, version(hash, 1, 4), template(image));
  }

  private static AppChildren withDeployments(Deployment... deployments) {
    return new AppChildren(List.of(deployments), List.of(), List.of(), List.of(), Map.of(),
        List.of());
  }

  @Test
  void aSwitchWritesTheServicesFirstPreviewBeforeActive() {
    Snapshot s = blueGreen();
    Plan p = plan(s).keep(version("old", 1, 4)).keep(version("new", 2, 4))
        .services("new", "new").promote("new").build();

    Rendering r = Renderer.children(s, p, OWNER, AppChildren.NONE);

    assertThat(stages(r)).containsExactly(Stage.SWITCH, Stage.VERSIONS);
    assertThat(names(r.written())).containsExactly("Service/shop-preview", "Service/shop",
        "Deployment/shop-old", "Deployment/shop-new");
    assertThat(selector(r.waves().get(0).writes().get(1).object()))
        .containsEntry(Labels.REVISION_HASH, "new");
    assertThat(r.waves()).allSatisfy(w -> assertThat(w.writes())
        .allSatisfy(write -> assertThat(write.mode()).isEqualTo(Mode.APPLY)));
    assertThat(r.removals()).isEmpty();
  }

  @Test
  void theSwitchWaveSplitsOffWhileTheRestKeepsItsOrderAndRemovals() {
    Snapshot s = blueGreen();
    Deployment old = cachedDeployment(s, "old", "shop:1");
    Plan p = plan(s).keep(version("new", 2, 4)).retire("old").services("new", "new")
        .promote("new").build();

    Rendering r = Renderer.children(s, p, OWNER, withDeployments(old));

    assertThat(names(r.only(Stage.SWITCH).written()))
        .containsExactly("Service/shop-preview", "Service/shop");
    assertThat(r.only(Stage.SWITCH).removals()).as("deleted after the record").isEmpty();
    assertThat(stages(r.without(Stage.SWITCH))).containsExactly(Stage.VERSIONS);
    assertThat(r.without(Stage.SWITCH).removed()).containsExactly(old);
  }

  @Test
  void withoutASwitchTheDeploymentsGoBeforeTheServices() {
    Snapshot s = blueGreen();
    Plan p = plan(s).keep(version("old", 1, 4)).keep(version("new", 2, 4))
        .services("old", "new").store(NEW).build();

    Rendering r = Renderer.children(s, p, OWNER, AppChildren.NONE);

    assertThat(stages(r)).containsExactly(Stage.VERSIONS, Stage.SERVICES, Stage.REVISIONS);
    assertThat(names(r.waves().get(1).writes().stream().map(Rendering.Write::object).toList()))
        .containsExactly("Service/shop-preview", "Service/shop");
    assertThat(selector(r.waves().get(1).writes().get(0).object()))
        .containsEntry(Labels.REVISION_HASH, "new");
    assertThat(selector(r.waves().get(1).writes().get(1).object()))
        .containsEntry(Labels.REVISION_HASH, "old");
    assertThat(image(r.written().get(0))).isEqualTo("shop:1");
    assertThat(image(r.written().get(1))).isEqualTo("shop:2");
  }

  @Test
  void aCanaryWithoutAProviderSpansTheActiveServiceOverBothVersions() {
    Snapshot s = snapshot(spec(Strategy.CANARY, Provider.none), "new", OLD);
    Plan p = plan(s).keep(version("old", 1, 3)).keep(version("new", 2, 1))
        .services("old", "new").weight(25, true).build();

    Rendering r = Renderer.children(s, p, OWNER, AppChildren.NONE);

    assertThat(stages(r)).containsExactly(Stage.VERSIONS, Stage.SERVICES);
    HasMetadata active = r.written().get(3);
    assertThat(active.getMetadata().getName()).isEqualTo("shop");
    assertThat(selector(active)).isEqualTo(Map.of(Labels.APP, "shop"));
    assertThat(active.getMetadata().getAnnotations()).containsEntry(Labels.STABLE_HASH, "old");
    assertThat(r.written()).map(o -> ((Object) o).getClass().getSimpleName())
        .containsExactly("Deployment", "Deployment", "Service", "Service");
  }

  @Test
  void theRollingDeploymentTakesTheTemplateItsHashNames() {
    Snapshot s = snapshot(spec(Strategy.ROLLING, Provider.none), "new", OLD);
    Plan p = plan(s).keep(version(Labels.ROLLING, 2, 4, "new"))
        .services(Labels.ROLLING, Labels.ROLLING).build();

    Rendering r = Renderer.children(s, p, OWNER, AppChildren.NONE);

    assertThat(names(r.written())).containsExactly("Deployment/shop", "Service/shop-preview",
        "Service/shop");
    assertThat(image(r.written().get(0))).isEqualTo("shop:2");
  }

  @Test
  void aKeptDeploymentFallsBackToItsOwnTemplateOnlyWhenNoRevisionHasOne() {
    Snapshot s = snapshot(spec(Strategy.ROLLING, Provider.none), "new", OLD);
    Deployment cached = cachedDeployment(s, Labels.ROLLING, "shop:cached");
    // No template hash: the rolling Deployment keeps what it runs.
    Plan keepOwn = plan(s).keep(version(Labels.ROLLING, 2, 4)).build();
    assertThat(image(Renderer.children(s, keepOwn, OWNER, withDeployments(cached)).written()
        .get(0))).isEqualTo("shop:cached");
    // Not cached either: nothing to write.
    assertThat(Renderer.children(s, keepOwn, OWNER, AppChildren.NONE).waves()).isEmpty();
    // The history's template, not the cached one (its server-side defaults would change the
    // digest and cost a write of an older version).
    Plan rollBack = plan(s).keep(version(Labels.ROLLING, 1, 4, "old"))
        .build();
    assertThat(image(Renderer.children(s, rollBack, OWNER, withDeployments(cached)).written()
        .get(0))).isEqualTo("shop:1");
  }

  @Test
  void retiredDeploymentsAreNeverWrittenAndGoLast() {
    Snapshot s = blueGreen();
    Deployment old = cachedDeployment(s, "old", "shop:1");
    ControllerRevision oldRevision = DesiredObjects.controllerRevision(s.app(), OWNER, OLD);
    AppChildren existing = new AppChildren(List.of(old), List.of(oldRevision), List.of(),
        List.of(), Map.of(), List.of());
    Plan p = plan(s).keep(version("new", 2, 4)).retire("old").services("new", "new")
        .dropRevision("old").build();

    Rendering r = Renderer.children(s, p, OWNER, existing);

    assertThat(names(r.written())).doesNotContain("Deployment/shop-old");
    assertThat(r.removed()).containsExactly(oldRevision, old);
    assertThat(r.removals()).noneMatch(Rendering.Removal::background);
    // Not in the cache: nothing to delete.
    assertThat(Renderer.children(s, p, OWNER, AppChildren.NONE).removals()).isEmpty();
  }

  @Test
  void aRevisionIsWrittenOnlyWhenAbsent() {
    Snapshot s = blueGreen();
    AppChildren existing = new AppChildren(List.of(), List.of(
        DesiredObjects.controllerRevision(s.app(), OWNER, OLD)), List.of(), List.of(), Map.of(),
        List.of());
    Plan p = plan(s).store(OLD).store(NEW).build();

    Rendering r = Renderer.children(s, p, OWNER, existing);

    assertThat(stages(r)).containsExactly(Stage.REVISIONS);
    assertThat(names(r.written())).containsExactly("ControllerRevision/shop-new");
    assertThat(((ControllerRevision) r.written().get(0)).getRevision()).isEqualTo(2L);
  }

  @Test
  void aHeldPlanRendersNothing() {
    Snapshot s = blueGreen();
    Deployment old = cachedDeployment(s, "old", "shop:1");
    Plan p = plan(s).hold().services("old", "old").build();
    assertThat(Renderer.children(s, p, OWNER, withDeployments(old))).isEqualTo(Rendering.NOTHING);
  }

  @Test
  void everyRenderedObjectIsTheAppsAndOwnedByIt() {
    for (Strategy strategy : Strategy.values()) {
      for (Provider provider : Provider.values()) {
        BatonAppSpec spec = spec(strategy, provider);
        spec.database = DataTierRenderTest.database();
        Snapshot s = snapshot(spec, "new", OLD);
        String hash = strategy == Strategy.ROLLING ? Labels.ROLLING : "new";
        Plan p = plan(s).keep(version(hash, 2, 4, "new"))
            .services(hash, hash).store(NEW).weight(10, false).build();
        Rendering r = Renderer.children(s, p, OWNER, AppChildren.NONE);
        assertThat(r.written()).as(strategy + "/" + provider).isNotEmpty().allSatisfy(o -> {
          assertThat(o.getMetadata().getLabels()).containsEntry(Labels.APP, "shop");
          assertThat(o.getMetadata().getNamespace()).isEqualTo("ns");
          assertThat(o.getMetadata().getOwnerReferences()).containsExactly(OWNER);
        });
      }
    }
  }
}
