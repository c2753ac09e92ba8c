package dev.baton.planning;

import static dev.baton.planning.Fixtures.T0;
import static dev.baton.planning.Fixtures.snapshot;
import static dev.baton.planning.Fixtures.spec;
import static dev.baton.planning.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.BatonAppStatus;
import dev.baton.api.v1alpha1.CanarySpec;
import dev.baton.api.v1alpha1.CanaryStep;
import dev.baton.api.v1alpha1.RetiringVersion;
import dev.baton.api.v1alpha1.RevisionRecord;
import dev.baton.api.v1alpha1.RolloutStatus;
import dev.baton.api.v1alpha1.RollingSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The rollout's bookkeeping lives in status.rollout and status.retiring: what a plan decides is
 * recorded there, and the next reconcile reads the same bookkeeping back from it alone.
 */
class RolloutRecordTest {

  private final RolloutPlanner planner = new RolloutPlanner();

  @Test
  void aCanaryStepIsRecordedInStatusAndReadBackForTheNextPlan() {
    BatonAppSpec spec = spec(4, "api:2");
    spec.strategy.blueGreen = null;
    spec.strategy.canary = new CanarySpec();
    spec.strategy.canary.steps = List.of(CanaryStep.weight(25), CanaryStep.pauseFor(null));
    var builder = snapshot(spec, "new").active("old")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)))
        .wide(true).at(T0.plusSeconds(10));
    Plan atStep = planner.plan(builder.with(version("new", 2, 1, 1, Bookkeeping.NONE.withStep(0)
        .withProgressSince(T0))).build());
    Snapshot s = builder.build();

    RolloutStatus r = RolloutRecord.rolloutOf(s, atStep);
    assertThat(r.targetHash).isEqualTo("new");
    assertThat(r.targetRevision).isEqualTo(2);
    assertThat(r.step).isEqualTo(1);

    BatonAppStatus status = new BatonAppStatus();
    status.rollout = r;
    status.history = List.of(promoted("old", 1));
    Map<String, Bookkeeping> back = RolloutRecord.bookkeeping(status, "shop",
        Set.of("old", "new"), Optional.empty());
    assertThat(back.get("new")).returns(Optional.of(1), Bookkeeping::step)
        .returns(Optional.of(T0), Bookkeeping::progressSince)
        .returns(Optional.empty(), Bookkeeping::promotedAt);
    assertThat(back.get("old")).matches(b -> b.promotedAt().isPresent());
  }

  @Test
  void theRollbackWindowIsRecordedInStatusRetiringAndKeepsItsEnd() {
    var builder = snapshot(spec(4, "api:2"), "new").active("new")
        .with(version("new", 2, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)))
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0.minusSeconds(999))));
    Plan justSwitched = planner.plan(builder.at(T0.plusSeconds(1)).build());

    List<RetiringVersion> retiring = RolloutRecord.retiringOf(builder.build(), justSwitched);
    assertThat(retiring).singleElement().satisfies(e -> {
      assertThat(e.hash).isEqualTo("old");
      assertThat(e.deployment).isEqualTo("shop-old");
      assertThat(e.scaleDownAt).isEqualTo(T0.plusSeconds(31).toString());
    });

    BatonAppStatus status = new BatonAppStatus();
    status.rollout = RolloutRecord.rolloutOf(builder.build(), justSwitched);
    status.retiring = retiring;
    Map<String, Bookkeeping> back = RolloutRecord.bookkeeping(status, "shop",
        Set.of("old", "new"), Optional.empty());
    // Read back without history: a version with a rollback window served.
    assertThat(back.get("old")).returns(Optional.of(T0.plusSeconds(31)), Bookkeeping::scaleDownAt)
        .matches(b -> b.promotedAt().isPresent());
  }

  @Test
  void theRollingDeploymentRetiresUnderItsRevisionAndDeploymentNameAndOldEntriesStillRead() {
    // Moving to blue/green: "t" serves in shop-t, the rolling Deployment ran "s" and stays warm.
    var builder = snapshot(spec(4, "api:2"), "t").active("t").stored(1, "s", "api:1")
        .stored(2, "t", "api:2")
        .with(new VersionState(Labels.ROLLING, 1, 4, 4, 4, true, Bookkeeping.NONE
            .withStableHash("s").withTemplateHash("s").withPromotedAt(T0), ""))
        .with(version("t", 2, 4, 4, Bookkeeping.NONE.withPromotedAt(T0.plusSeconds(10))))
        .at(T0.plusSeconds(11));
    Snapshot s = builder.build();
    List<RetiringVersion> retiring = RolloutRecord.retiringOf(s, planner.plan(s));
    assertThat(retiring).singleElement().satisfies(e -> {
      assertThat(e.hash).as("the revision it ran, not its slot").isEqualTo("s");
      assertThat(e.deployment).isEqualTo("shop");
    });

    BatonAppStatus status = new BatonAppStatus();
    status.rollout = new RolloutStatus();
    status.retiring = retiring;
    Map<String, Bookkeeping> back = RolloutRecord.bookkeeping(status, "shop",
        Set.of(Labels.ROLLING, "t"), Optional.of("s"));
    assertThat(back.get(Labels.ROLLING).scaleDownAt()).contains(T0.plusSeconds(41));
    assertThat(back.get("t").scaleDownAt()).isEmpty();

    // An entry written before entries named their Deployment keyed the rolling one by its slot.
    RetiringVersion old = new RetiringVersion();
    old.hash = Labels.ROLLING;
    old.scaleDownAt = T0.plusSeconds(41).toString();
    status.retiring = List.of(old);
    assertThat(RolloutRecord.bookkeeping(status, "shop", Set.of(Labels.ROLLING, "t"),
        Optional.of("s")).get(Labels.ROLLING).scaleDownAt()).contains(T0.plusSeconds(41));
  }

  @Test
  void anAbortIsRecordedWithReasonMessageAndTimeAndSurvivesTheNextPlan() {
    var builder = snapshot(spec(4, "api:2"), "new").active("old")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)))
        .with(version("new", 2, 4, 1, Bookkeeping.NONE.withProgressSince(T0)))
        .at(T0.plusSeconds(600));
    Snapshot s = builder.build();
    Plan aborted = planner.plan(s);

    RolloutStatus r = RolloutRecord.rolloutOf(s, aborted);
    assertThat(r.aborted.reason).isEqualTo("ProgressDeadlineExceeded");
    assertThat(r.aborted.at).isEqualTo(T0.plusSeconds(600).toString());

    BatonAppStatus status = new BatonAppStatus();
    status.rollout = r;
    Bookkeeping back = RolloutRecord.bookkeeping(status, "shop", Set.of("new"), Optional.empty())
        .get("new");
    Plan later = planner.plan(builder.with(new VersionState("new", 2, 0, 0, 0, true, back, ""))
        .at(T0.plusSeconds(700)).build());
    assertThat(later.events()).as("aborted once, not again").isEmpty();
    assertThat(later.outcome().phase()).isEqualTo(dev.baton.api.v1alpha1.Phase.Degraded);
  }

  @Test
  void theRollingDeploymentsStableRevisionAndPauseAreRecordedNotWrittenOnTheDeployment() {
    BatonAppSpec spec = spec(4, "api:2");
    spec.strategy.blueGreen = null;
    spec.strategy.rolling = new RollingSpec();
    var builder = snapshot(spec, "t").active(Labels.ROLLING).stored(1, "s", "api:1")
        .with(new VersionState(Labels.ROLLING, 1, 4, 4, 4, true,
            Bookkeeping.NONE.withStableHash("s").withTemplateHash("s").withPromotedAt(T0), ""));
    Snapshot s = builder.at(T0.plusSeconds(5)).build();
    Plan started = planner.plan(s);

    RolloutStatus r = RolloutRecord.rolloutOf(s, started);
    assertThat(r.stableHash).isEqualTo("s");
    assertThat(r.progressSince).isEqualTo(T0.plusSeconds(5).toString());
    BatonAppStatus status = new BatonAppStatus();
    status.rollout = r;
    assertThat(RolloutRecord.bookkeeping(status, "shop", Set.of(Labels.ROLLING), Optional.of("t"))
        .get(Labels.ROLLING)).returns(Optional.of("s"), Bookkeeping::stableHash)
        .returns(Optional.of("t"), Bookkeeping::templateHash)
            .matches(b -> b.promotedAt().isPresent());
    var deployment = DesiredObjects.deployment(s.app(), null,
        started.versions().stream().filter(v -> v.hash().equals(Labels.ROLLING)).findFirst()
            .orElseThrow(), Fixtures.template("api:2"));
    assertThat(deployment.getMetadata().getAnnotations()).containsOnlyKeys(Labels.APPLIED);
  }

  @Test
  void aPerRevisionDeploymentCarriesOnlyItsImmutableLabelsAndTheAppliedDigest() {
    Snapshot s = snapshot(spec(4, "api:2"), "new").active("old")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0))).build();
    Plan plan = planner.plan(s);
    for (DesiredVersion v : plan.versions()) {
      var d = DesiredObjects.deployment(s.app(), null, v, Fixtures.template("api:2"));
      assertThat(d.getMetadata().getAnnotations()).containsOnlyKeys(Labels.APPLIED);
      assertThat(d.getMetadata().getLabels()).containsOnlyKeys(Labels.APP, Labels.REVISION_HASH,
          Labels.REVISION);
    }
  }

  private static RevisionRecord promoted(String hash, int revision) {
    RevisionRecord r = new RevisionRecord();
    r.hash = hash;
    r.revision = revision;
    r.promotedAt = T0.toString();
    r.reason = "Promoted";
    return r;
  }
}
