package dev.baton.planning;

import static dev.baton.planning.Fixtures.T0;
import static dev.baton.planning.Fixtures.snapshot;
import static dev.baton.planning.Fixtures.spec;
import static dev.baton.planning.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.BatonAppStatus;
import dev.baton.api.v1alpha1.RevisionRecord;
import dev.baton.api.v1alpha1.RolloutStatus;
import dev.baton.api.v1alpha1.SwitchStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A switch of the active Service is written before its record, and recorded (Event, history)
 * exactly once: by the switching reconcile, or by the next one when that stopped between the
 * Service write and the status write.
 */
class SwitchRecordTest {

  private static final String R = Labels.ROLLING;
  private final RolloutPlanner planner = new RolloutPlanner();

  private Fixtures.SnapshotBuilder ready() {
    return snapshot(spec(4, "api:2"), "new")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)))
        .with(version("new", 2, 4, 4, Bookkeeping.NONE.withProgressSince(T0).withReadySince(T0)
            .withPromoting(true)));
  }

  /** What status records while "old" serves and "new" is promoted: its Service selects "old". */
  private static BatonAppStatus recordedOn(String selects) {
    BatonAppStatus st = new BatonAppStatus();
    st.rollout = new RolloutStatus();
    st.rollout.targetHash = "new";
    st.rollout.promoting = true;
    st.rollout.activeSelects = selects;
    st.history = new ArrayList<>(List.of(entry(2, "new", null), entry(1, "old", T0)));
    return st;
  }

  private static RevisionRecord entry(int revision, String hash, Instant promotedAt) {
    RevisionRecord r = new RevisionRecord();
    r.revision = revision;
    r.hash = hash;
    r.createdAt = T0.toString();
    r.promotedAt = promotedAt == null ? null : promotedAt.toString();
    r.reason = promotedAt == null ? null : "Promoted";
    return r;
  }

  private static RevisionRecord entryOf(BatonAppStatus st, String hash) {
    return st.history.stream().filter(h -> hash.equals(h.hash)).findFirst().orElseThrow();
  }

  private static List<PlannedEvent> switchEvents(SwitchRecord.Result r) {
    return r.plan().events().stream()
        .filter(e -> SwitchRecord.SWITCH_REASONS.contains(e.reason())).toList();
  }

  @Test
  void theSwitchingReconcileWritesTheServiceFirstAndRecordsTheSwitchAsDone() {
    Snapshot s = ready().active("old").at(T0.plusSeconds(60)).build();
    BatonAppStatus before = recordedOn("old");
    SwitchRecord.Result r = SwitchRecord.apply(s, before, planner.plan(s));

    assertThat(r.switching()).isTrue();
    assertThat(r.plan().activeHash()).contains("new");
    assertThat(r.completed()).isEmpty();
    assertThat(switchEvents(r)).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo("Promoted");
      assertThat(e.key()).as("named by the switch, not the resourceVersion").isNotNull();
    });
    assertThat(r.plan().requeueAfter()).contains(Duration.ZERO);
    BatonAppStatus st = StatusPlanner.next(s, r, before, "x");
    assertThat(st.rollout.activeSelects).isEqualTo("new");
    assertThat(st.rollout.switching).isNull();
    assertThat(entryOf(st, "new")).satisfies(h -> {
      assertThat(h.reason).isEqualTo("Promoted");
      assertThat(h.promotedAt).isEqualTo(T0.plusSeconds(60).toString());
    });

    // The reconcile after the recorded switch finds nothing to complete.
    Snapshot after = ready().active("new").at(T0.plusSeconds(61)).build();
    SwitchRecord.Result quiet = SwitchRecord.apply(after, st, planner.plan(after));
    assertThat(quiet.completed()).isEmpty();
    assertThat(switchEvents(quiet)).isEmpty();
    assertThat(StatusPlanner.next(after, quiet, st, "x").history)
        .filteredOn(h -> "new".equals(h.hash)).singleElement()
        .satisfies(h -> assertThat(h.promotedAt).isEqualTo(T0.plusSeconds(60).toString()));
  }

  @Test
  void aSwitchWhoseStatusWriteWasLostIsRecordedOnceFromTheServicesSelector() {
    Snapshot before = ready().active("old").at(T0.plusSeconds(60)).build();
    BatonAppStatus recorded = recordedOn("old");
    SwitchRecord.Result switching = SwitchRecord.apply(before, recorded, planner.plan(before));

    // Halted after the Service write: the next operator reads the same status, the Service moved.
    Snapshot found = ready().active("new").at(T0.plusSeconds(75)).build();
    SwitchRecord.Result done = SwitchRecord.apply(found, recorded, planner.plan(found));

    assertThat(done.switching()).as("no second switch").isFalse();
    assertThat(done.plan().activeHash()).contains("new");
    assertThat(switchEvents(done)).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo("Promoted");
      assertThat(e.key()).as("the first reconcile's Event, if it got out, is this one")
          .isEqualTo(switchEvents(switching).get(0).key());
    });
    BatonAppStatus completed = StatusPlanner.next(found, done, recorded, "x");
    assertThat(completed.rollout.activeSelects).isEqualTo("new");
    assertThat(entryOf(completed, "new")).satisfies(h -> {
      assertThat(h.reason).isEqualTo("Promoted");
      assertThat(h.promotedAt).as("when it was found").isEqualTo(T0.plusSeconds(75).toString());
    });

    Snapshot later = ready().active("new").at(T0.plusSeconds(80)).build();
    SwitchRecord.Result quiet = SwitchRecord.apply(later, completed, planner.plan(later));
    assertThat(switchEvents(quiet)).isEmpty();
    assertThat(StatusPlanner.next(later, quiet, completed, "x").history)
        .filteredOn(h -> "new".equals(h.hash)).singleElement()
        .satisfies(h -> assertThat(h.promotedAt).isEqualTo(T0.plusSeconds(75).toString()));
  }

  @Test
  void aSwitchWhoseServiceWriteNeverHappenedIsDecidedAgainWithANewTime() {
    BatonAppStatus recorded = recordedOn("old");
    Snapshot again = ready().active("old").at(T0.plusSeconds(70)).build();
    SwitchRecord.Result retried = SwitchRecord.apply(again, recorded, planner.plan(again));

    assertThat(retried.completed()).isEmpty();
    assertThat(retried.switching()).isTrue();
    assertThat(entryOf(StatusPlanner.next(again, retried, recorded, "x"), "new").promotedAt)
        .isEqualTo(T0.plusSeconds(70).toString());
  }

  @Test
  void twoSwitchesToTheSameVersionHaveEventsOfTheirOwn() {
    Snapshot s = ready().active("old").at(T0.plusSeconds(60)).build();
    SwitchRecord.Result first = SwitchRecord.apply(s, recordedOn("old"), planner.plan(s));
    BatonAppStatus later = recordedOn("old");
    later.history.get(0).abortedAt = T0.plusSeconds(90).toString();
    SwitchRecord.Result second = SwitchRecord.apply(s, later, planner.plan(s));

    assertThat(switchEvents(first).get(0).key()).isNotEqualTo(switchEvents(second).get(0).key());
  }

  @Test
  void aSwitchBackFoundDoneIsARollback() {
    BatonAppSpec spec = spec(4, "api:1");
    spec.strategy.blueGreen.autoPromotion = false;
    var builder = snapshot(spec, "old")
        .with(version("new", 2, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)))
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0.minusSeconds(99))
            .withScaleDownAt(T0.plusSeconds(30))));
    BatonAppStatus recorded = recordedOn("new");
    Snapshot s = builder.active("new").at(T0.plusSeconds(5)).build();
    SwitchRecord.Result switching = SwitchRecord.apply(s, recorded, planner.plan(s));
    assertThat(switching.switching()).isTrue();

    Snapshot found = builder.active("old").at(T0.plusSeconds(6)).build();
    SwitchRecord.Result done = SwitchRecord.apply(found, recorded, planner.plan(found));
    assertThat(switchEvents(done)).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo("RolledBack");
      assertThat(e.key()).isEqualTo(switchEvents(switching).get(0).key());
    });
    assertThat(done.completed()).map(SwitchRecord.Completed::hash).contains("old");
  }

  @Test
  void theRollingDeploymentTakingOverFoundDoneIsThePromotionOfItsTemplate() {
    BatonAppSpec spec = RollingPlannerTest.rollingSpec(4, "api:2");
    var builder = snapshot(spec, "new").stored(1, "old", "api:1").stored(2, "new", "api:2")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)))
        .with(RollingPlannerTest.rolling(4, 4, 4, true, 2, Bookkeeping.NONE
            .withTemplateHash("new").withProgressSince(T0)));
    BatonAppStatus recorded = recordedOn("old");
    Snapshot s = builder.active("old").at(T0.plusSeconds(20)).build();
    SwitchRecord.Result switching = SwitchRecord.apply(s, recorded, planner.plan(s));
    assertThat(switching.switching()).isTrue();
    assertThat(switching.selects()).contains(R);

    Snapshot found = builder.active(R).at(T0.plusSeconds(21)).build();
    SwitchRecord.Result done = SwitchRecord.apply(found, recorded, planner.plan(found));
    assertThat(switchEvents(done)).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo("Promoted");
      assertThat(e.message()).contains("revision 2");
      assertThat(e.key()).isEqualTo(switchEvents(switching).get(0).key());
    });
    assertThat(done.completed()).map(SwitchRecord.Completed::hash).contains("new");
    BatonAppStatus st = StatusPlanner.next(found, done, recorded, "x");
    assertThat(st.rollout.activeSelects).isEqualTo(R);
    assertThat(entryOf(st, "new").reason).isEqualTo("Promoted");

    // Rolling on: the selector stays `rolling` while status reports real revisions.
    Snapshot on = builder.active(R).at(T0.plusSeconds(22)).build();
    assertThat(SwitchRecord.apply(on, st, planner.plan(on)).completed()).isEmpty();
  }

  @Test
  void aSelectorNamingNoVersionIsNoSwitch() {
    Snapshot s = ready().active("edited-by-hand").at(T0.plusSeconds(60)).build();
    SwitchRecord.Result r = SwitchRecord.apply(s, recordedOn("old"), planner.plan(s));
    assertThat(r.completed()).isEmpty();
  }

  @Test
  void aStatusWithoutTheSelectorRecordedCompletesNothingAndRecordsIt() {
    // Written by a release before activeSelects, with no switch in flight.
    Snapshot s = ready().active("new").at(T0.plusSeconds(60)).build();
    SwitchRecord.Result r = SwitchRecord.apply(s, recordedOn(null), planner.plan(s));
    assertThat(r.completed()).isEmpty();
    assertThat(switchEvents(r)).isEmpty();
    assertThat(r.selects()).contains("new");
  }

  @Test
  void anIntentOfAnEarlierReleaseFoundDoneIsCompletedWithItsTime() {
    BatonAppStatus recorded = recordedOn(null);
    recorded.rollout.switching = new SwitchStatus();
    recorded.rollout.switching.selects = "new";
    recorded.rollout.switching.hash = "new";
    recorded.rollout.switching.at = T0.plusSeconds(60).toString();
    recorded.rollout.switching.reason = "Promoted";
    recorded.rollout.switching.message = "Switched traffic to revision 2.";

    Snapshot found = ready().active("new").at(T0.plusSeconds(75)).build();
    SwitchRecord.Result done = SwitchRecord.apply(found, recorded, planner.plan(found));
    BatonAppStatus completed = StatusPlanner.next(found, done, recorded, "x");

    assertThat(switchEvents(done)).extracting(PlannedEvent::reason).containsExactly("Promoted");
    assertThat(completed.rollout.switching).isNull();
    assertThat(completed.rollout.activeSelects).isEqualTo("new");
    assertThat(entryOf(completed, "new")).satisfies(h -> {
      assertThat(h.reason).isEqualTo("Promoted");
      assertThat(h.promotedAt).isEqualTo(T0.plusSeconds(60).toString());
    });

    // Not done (halted before its Service write): dropped, and the plan switches anew.
    Snapshot notDone = ready().active("old").at(T0.plusSeconds(75)).build();
    SwitchRecord.Result again = SwitchRecord.apply(notDone, recorded, planner.plan(notDone));
    assertThat(again.completed()).isEmpty();
    assertThat(again.switching()).isTrue();
    assertThat(StatusPlanner.next(notDone, again, recorded, "x").rollout.switching).isNull();
  }

  @Test
  void anInvalidSpecKeepsTheRecordAsItIs() {
    Snapshot s = ready().active("new").build();
    Plan held = new Plan(true, s.specTarget(), Optional.empty(), List.of(), List.of(), List.of(),
        List.of(), Optional.of("old"), Optional.of("old"), planner.plan(s).outcome(), List.of(),
        Optional.empty(), false, false, TrafficPlan.IDLE);
    SwitchRecord.Result r = SwitchRecord.apply(s, recordedOn("old"), held);
    assertThat(r.completed()).isEmpty();
    assertThat(r.selects()).contains("old");
  }
}
