package dev.baton.planning;

import static dev.baton.planning.Fixtures.T0;
import static dev.baton.planning.Fixtures.snapshot;
import static dev.baton.planning.Fixtures.spec;
import static dev.baton.planning.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.BatonAppStatus;
import dev.baton.api.v1alpha1.RevisionRecord;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A switch of the active Service is recorded as an intent before it is written, and completed
 * (Event, history) by the reconcile that sees it done: exactly once, whichever reconcile that is.
 */
class SwitchRecordTest {

  private final RolloutPlanner planner = new RolloutPlanner();

  private Fixtures.SnapshotBuilder ready() {
    return snapshot(spec(4, "api:2"), "new")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)))
        .with(version("new", 2, 4, 4, Bookkeeping.NONE.withProgressSince(T0).withReadySince(T0)
            .withPromoting(true)));
  }

  @Test
  void theSwitchingReconcileRecordsTheIntentAndReportsNothingYet() {
    Snapshot s = ready().active("old").at(T0.plusSeconds(60)).build();
    SwitchRecord.Result r = SwitchRecord.apply(s, Optional.empty(), planner.plan(s));

    assertThat(r.plan().activeHash()).contains("new");
    assertThat(r.plan().switchesTraffic()).isTrue();
    assertThat(r.intent()).hasValueSatisfying(i -> {
      assertThat(i.selects).isEqualTo("new");
      assertThat(i.hash).isEqualTo("new");
      assertThat(i.reason).isEqualTo("Promoted");
      assertThat(i.at).isEqualTo(T0.plusSeconds(60).toString());
    });
    assertThat(r.plan().events()).extracting(PlannedEvent::reason).doesNotContain("Promoted");
    assertThat(r.plan().requeueAfter()).contains(Duration.ZERO);
    BatonAppStatus st = StatusPlanner.next(s, r, null, "x");
    assertThat(st.rollout.switching).isNotNull();
    assertThat(st.history).noneMatch(h -> "Promoted".equals(h.reason));
  }

  @Test
  void theReconcileThatFindsTheSwitchDoneCompletesItOnceWithTheSwitchTime() {
    Snapshot before = ready().active("old").at(T0.plusSeconds(60)).build();
    SwitchRecord.Result switching = SwitchRecord.apply(before, Optional.empty(),
        planner.plan(before));
    BatonAppStatus afterSwitch = StatusPlanner.next(before, switching, null, "x");

    // A standby (or the same operator) 15 s later finds the Service on the new version.
    Snapshot found = ready().active("new").at(T0.plusSeconds(75)).build();
    SwitchRecord.Result done = SwitchRecord.apply(found,
        Optional.of(afterSwitch.rollout.switching), planner.plan(found));
    BatonAppStatus completed = StatusPlanner.next(found, done, afterSwitch, "x");

    assertThat(done.plan().events()).extracting(PlannedEvent::reason).containsOnlyOnce("Promoted");
    assertThat(done.intent()).isEmpty();
    assertThat(completed.rollout.switching).isNull();
    RevisionRecord rec = completed.history.stream().filter(h -> "new".equals(h.hash))
        .findFirst().orElseThrow();
    assertThat(rec.reason).isEqualTo("Promoted");
    assertThat(rec.promotedAt).isEqualTo(T0.plusSeconds(60).toString());

    // And the reconcile after that reports nothing more.
    Snapshot later = ready().active("new").at(T0.plusSeconds(80)).build();
    SwitchRecord.Result quiet = SwitchRecord.apply(later,
        Optional.ofNullable(completed.rollout.switching), planner.plan(later));
    BatonAppStatus still = StatusPlanner.next(later, quiet, completed, "x");
    assertThat(quiet.plan().events()).extracting(PlannedEvent::reason).doesNotContain("Promoted");
    assertThat(still.history).filteredOn(h -> "new".equals(h.hash)).singleElement()
        .satisfies(h -> assertThat(h.promotedAt).isEqualTo(T0.plusSeconds(60).toString()));
  }

  @Test
  void anIntentWhoseServiceWriteNeverHappenedIsDecidedAgainWithANewTime() {
    Snapshot before = ready().active("old").at(T0.plusSeconds(60)).build();
    SwitchRecord.Result switching = SwitchRecord.apply(before, Optional.empty(),
        planner.plan(before));

    Snapshot again = ready().active("old").at(T0.plusSeconds(70)).build();
    SwitchRecord.Result retried = SwitchRecord.apply(again, switching.intent(),
        planner.plan(again));

    assertThat(retried.completed()).isEmpty();
    assertThat(retried.plan().events()).extracting(PlannedEvent::reason)
        .doesNotContain("Promoted");
    assertThat(retried.intent()).hasValueSatisfying(
        i -> assertThat(i.at).isEqualTo(T0.plusSeconds(70).toString()));
  }

  @Test
  void anInvalidSpecKeepsTheRecordAsItIs() {
    Snapshot s = ready().active("old").build();
    Plan held = new Plan(true, s.specTarget(), Optional.empty(), List.of(), List.of(), List.of(),
        List.of(), Optional.of("old"), Optional.of("old"), planner.plan(s).outcome(), List.of(),
        Optional.empty(), false, false, TrafficPlan.IDLE);
    var intent = new dev.baton.api.v1alpha1.SwitchStatus();
    intent.selects = "new";
    assertThat(SwitchRecord.apply(s, Optional.of(intent), held).intent()).contains(intent);
  }
}
