package dev.baton.planning;

import static dev.baton.planning.Fixtures.T0;
import static dev.baton.planning.Fixtures.snapshot;
import static dev.baton.planning.Fixtures.spec;
import static dev.baton.planning.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.Phase;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The promotion gate reads the preview Service's ready endpoints as well as the Deployment's
 * status: a version whose every pod is a ready endpoint may take traffic before its Deployment's
 * status catches up. "old" is live (4 pods), "new" is the target, scaled to 4 to promote.
 */
class PromotionGateTest {

  private final RolloutPlanner planner = new RolloutPlanner();

  private static VersionState promotingNew(int specReplicas, int available, boolean rolledOut,
      int readyEndpoints) {
    return new VersionState("new", 2, specReplicas, available, available, rolledOut,
        Bookkeeping.NONE.withPromoting(true)
            .withProgressSince(T0.plusSeconds(50)), "", specReplicas, readyEndpoints);
  }

  static Stream<Arguments> gate() {
    return Stream.of(
        // spec size, available (status), rolled out (status), ready endpoints -> switches
        Arguments.of(4, 4, true, 0, true), // the Deployment's status alone, as before
        Arguments.of(4, 0, false, 4, true), // every pod a ready endpoint; status still lags
        Arguments.of(4, 1, true, 4, true),
        Arguments.of(4, 0, false, 3, false), // one pod short of full size
        Arguments.of(2, 0, false, 2, false), // still at preview size: never switch to fewer pods
        Arguments.of(4, 3, true, 3, false),
        Arguments.of(4, 0, false, 0, false)); // unknown (e.g. minReadySeconds > 0): wait
  }

  @ParameterizedTest(name = "spec {0}, available {1}, rolledOut {2}, ready endpoints {3}")
  @MethodSource
  void gate(int specReplicas, int available, boolean rolledOut, int readyEndpoints,
      boolean switches) {
    BatonAppSpec spec = spec(4, "api:2");
    spec.strategy.blueGreen.previewReplicas = 2;
    Plan plan = planner.plan(snapshot(spec, "new")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)))
        .with(promotingNew(specReplicas, available, rolledOut, readyEndpoints))
        .active("old").at(T0.plusSeconds(60)).build());

    assertThat(plan.activeHash()).contains(switches ? "new" : "old");
    assertThat(plan.outcome().promotedHash().isPresent()).isEqualTo(switches);
    // The live version keeps its full size either way.
    assertThat(plan.versions()).filteredOn(v -> v.hash().equals("old"))
        .extracting(DesiredVersion::replicas).containsExactly(4);
  }

  @Test
  void aPreviewWhosePodsAreReadyEndpointsIsReadyBeforeItsDeploymentSaysSo() {
    BatonAppSpec spec = spec(4, "api:2");
    spec.strategy.blueGreen.previewReplicas = 2;
    Plan plan = planner.plan(snapshot(spec, "new")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)))
        .with(new VersionState("new", 2, 2, 0, 0, false,
            Bookkeeping.NONE.withProgressSince(T0), "", 2, 2))
        .active("old").at(T0.plusSeconds(10)).build());

    assertThat(plan.events()).extracting(PlannedEvent::reason).contains("PreviewReady");
  }

  @Test
  void justAfterTheSwitchTheNewLiveVersionIsNotDegradedWhileItsStatusLags() {
    Plan plan = planner.plan(snapshot(spec(4, "api:2"), "new")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)))
        .with(new VersionState("new", 2, 4, 0, 0, true,
            Bookkeeping.NONE.withPromotedAt(T0.plusSeconds(60)),
            "", 4, 4))
        .active("new").at(T0.plusSeconds(61)).build());

    assertThat(plan.outcome().phase()).isEqualTo(Phase.Healthy);
    assertThat(plan.activeHash()).contains("new");
  }
}
