package dev.baton.planning;

import static dev.baton.planning.Fixtures.T0;
import static dev.baton.planning.Fixtures.snapshot;
import static dev.baton.planning.Fixtures.version;
import static dev.baton.planning.RollingPlannerTest.rolling;
import static dev.baton.planning.RollingPlannerTest.rollingIn;
import static dev.baton.planning.RollingPlannerTest.rollingSpec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.BatonAppStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rolling strategy reports real revision hashes: inside the planners the rolling Deployment
 * is the slot keyed {@link Labels#ROLLING} (its role, which never changes, as its immutable
 * selector requires), but nothing a user or another controller reads (status, its rollout
 * record, the retiring list, the history, Events) names that slot as if it were a revision.
 * "s" (revision 1) is stable, "t" (revision 2) the target.
 */
class RollingRevisionHashesTest {

  private static final String R = Labels.ROLLING;
  private static final RolloutPlanner PLANNER = new RolloutPlanner();

  static Stream<Arguments> moments() {
    var rollingApp = snapshot(rollingSpec(4, "api:2"), "t").stored(1, "s", "api:1")
        .stored(2, "t", "api:2");
    VersionState doneOnS = rolling(4, 4, 4, true, 1, Bookkeeping.NONE.withTemplateHash("s")
        .withStableHash("s").withPromotedAt(T0));
    VersionState doneOnT = rolling(4, 4, 4, true, 2, Bookkeeping.NONE.withTemplateHash("t")
        .withStableHash("t").withPromotedAt(T0.plusSeconds(20)).withProgressSince(T0));
    var blueGreen = snapshot(Fixtures.spec(4, "api:2"), "t").stored(1, "s", "api:1")
        .stored(2, "t", "api:2");
    VersionState t = version("t", 2, 4, 4, Bookkeeping.NONE.withPromotedAt(T0.plusSeconds(10)));
    return Stream.of(
        Arguments.of("first deploy", snapshot(rollingSpec(4, "api:1"), "s")
            .stored(1, "s", "api:1").build()),
        Arguments.of("rolling in", rollingApp.active(R).with(rollingIn(2, 4, false))
            .at(T0.plusSeconds(30)).build()),
        Arguments.of("rolled out", snapshot(rollingSpec(4, "api:2"), "t").stored(1, "s", "api:1")
            .stored(2, "t", "api:2").active(R).with(rollingIn(4, 4, true))
            .at(T0.plusSeconds(30)).build()),
        Arguments.of("healthy", snapshot(rollingSpec(4, "api:2"), "t").stored(1, "s", "api:1")
            .stored(2, "t", "api:2").active(R).with(doneOnT).at(T0.plusSeconds(60)).build()),
        Arguments.of("aborted", snapshot(rollingSpec(4, "api:2"), "t").stored(1, "s", "api:1")
            .stored(2, "t", "api:2").active(R).with(rollingIn(2, 4, false))
            .commands(Commands.from(Map.of(Commands.ABORT, ""))).at(T0.plusSeconds(30)).build()),
        Arguments.of("from blue/green, switching", snapshot(rollingSpec(4, "api:2"), "t")
            .stored(1, "s", "api:1").stored(2, "t", "api:2").active("s")
            .with(version("s", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)))
            .with(rolling(4, 4, 4, true, 2, Bookkeeping.NONE.withTemplateHash("t")
                .withProgressSince(T0)))
            .at(T0.plusSeconds(20)).build()),
        Arguments.of("to blue/green, preview", blueGreen.active(R).with(doneOnS)
            .at(T0.plusSeconds(5)).build()),
        Arguments.of("to blue/green, rolling Deployment retiring", snapshot(
                Fixtures.spec(4, "api:2"), "t").stored(1, "s", "api:1").stored(2, "t", "api:2")
            .active("t").with(doneOnS).with(t).at(T0.plusSeconds(11)).build()),
        Arguments.of("to blue/green, rolling Deployment scaled down", snapshot(
                Fixtures.spec(4, "api:2"), "t").stored(1, "s", "api:1").stored(2, "t", "api:2")
            .active("t").with(rolling(0, 0, 0, true, 1, Bookkeeping.NONE.withPromotedAt(T0)
                .withTemplateHash("s").withStableHash("s").withScaleDownAt(T0.plusSeconds(40))))
            .with(t).at(T0.plusSeconds(41)).build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("moments")
  void statusAndEventsNameRealRevisions(String moment, Snapshot s) {
    Plan plan = PLANNER.plan(s);
    BatonAppStatus status = StatusPlanner.next(s, plan, null, "baton.dev/app=shop");

    if (status.rollout != null) {
      // The selector's label value, documented as such.
      status.rollout.activeSelects = null;
    }
    assertThat(Serialization.asJson(status)).as(moment).doesNotContain("\"" + R + "\"");
    assertThat(plan.events()).extracting(PlannedEvent::message).as(moment)
        .noneMatch(m -> m.contains("revision " + R) || m.contains("Revision " + R));
  }
}
