package dev.baton.render;

import static dev.baton.render.RenderFixtures.OWNER;
import static dev.baton.render.RenderFixtures.plan;
import static dev.baton.render.RenderFixtures.snapshot;
import static dev.baton.render.RenderFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.analysis.ResolvedMetric;
import dev.baton.analysis.RunKey;
import dev.baton.analysis.provider.job.JobMeasurements;
import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.DatabaseSpec;
import dev.baton.api.v1alpha1.IngressSpec.Provider;
import dev.baton.api.v1alpha1.JobMetric;
import dev.baton.api.v1alpha1.MetricProviderSpec;
import dev.baton.api.v1alpha1.MigrationSpec;
import dev.baton.api.v1alpha1.MigrationStatus;
import dev.baton.api.v1alpha1.MigrationStep;
import dev.baton.planning.AnalysisPlan;
import dev.baton.planning.AppSettings.Strategy;
import dev.baton.planning.MigrationJob;
import dev.baton.planning.MigrationJobs;
import dev.baton.planning.MigrationPlanner;
import dev.baton.planning.Plan;
import dev.baton.planning.Snapshot;
import dev.baton.render.Rendering.Mode;
import dev.baton.render.Rendering.Stage;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Analysis and migration Jobs in the render: created once by name, and deleted in background. */
class JobRenderTest {

  private static final RunKey RUN = RunKey.step(2, 1, 0);

  private static ResolvedMetric smoke() throws Exception {
    AnalysisMetric m = new AnalysisMetric();
    m.name = "smoke";
    m.provider = new MetricProviderSpec();
    m.provider.job = new JobMetric();
    m.provider.job.spec = new ObjectMapper().readTree(
        "{\"template\":{\"spec\":{\"containers\":[{\"name\":\"smoke\",\"image\":\"curl\"}]}}}");
    return ResolvedMetric.of("test", m);
  }

  private static AppChildren withJobs(Job... jobs) {
    return new AppChildren(List.of(), List.of(), List.of(), List.of(), Map.of(), List.of(jobs));
  }

  @Test
  void aDueJobMeasurementIsCreatedOnceByNameAndLast() throws Exception {
    Snapshot s = snapshot(spec(Strategy.CANARY, Provider.none), "new");
    ResolvedMetric metric = smoke();
    Job first = JobMeasurements.desiredJob("shop", "ns", RUN, metric, 1);
    Job stale = JobMeasurements.desiredJob("shop", "ns", RunKey.step(1, 1, 0), metric, 1);
    AnalysisPlan analysis = new AnalysisPlan(Optional.empty(), List.of(), Set.of(),
        List.of(new AnalysisPlan.JobMeasurement(RUN, metric, 1),
            new AnalysisPlan.JobMeasurement(RUN, metric, 2)),
        List.of(stale.getMetadata().getName(), "shop-gone"));
    Plan p = plan(s).services("old", "new").analysis(analysis).build();

    Rendering r = Renderer.children(s, p, OWNER, withJobs(first, stale));

    assertThat(r.waves()).map(Rendering.Wave::stage)
        .containsExactly(Stage.SERVICES, Stage.ANALYSIS_JOBS);
    Rendering.Write created = r.waves().get(1).writes().get(0);
    assertThat(r.waves().get(1).writes()).hasSize(1);
    assertThat(created.mode()).isEqualTo(Mode.CREATE);
    assertThat(created.object().getMetadata().getName())
        .isEqualTo(JobMeasurements.desiredJob("shop", "ns", RUN, metric, 2).getMetadata()
            .getName());
    assertThat(created.object().getMetadata().getOwnerReferences()).containsExactly(OWNER);
    // Only a Job the cache holds is deleted, with its pods in the background.
    assertThat(r.removals()).containsExactly(new Rendering.Removal(stale, true));
  }

  private static Snapshot migrating() {
    BatonAppSpec spec = spec(Strategy.ROLLING, Provider.none);
    spec.database = new DatabaseSpec();
    spec.database.primary = DataTierRenderTest.database().primary;
    spec.database.migration = new MigrationSpec();
    spec.database.migration.image = "migrate:1";
    spec.database.migration.expand = new MigrationStep();
    spec.database.migration.expand.args = List.of("migrate", "up");
    return snapshot(spec, "new");
  }

  private static MigrationJob expand(int revision) {
    return new MigrationJob(MigrationJob.nameOf("shop", revision, MigrationStatus.Kind.expand, 1),
        MigrationStatus.Kind.expand, revision, 1, "h" + revision);
  }

  @Test
  void migrationJobsAreTheirOwnRenderingCreatedOnceByName() {
    Snapshot s = migrating();
    Plan p = plan(s).build();
    Job done = MigrationJobs.desired(s.app(), OWNER, expand(1));
    MigrationPlanner.Decision decision = new MigrationPlanner.Decision(p,
        List.of(expand(2), expand(1)), List.of(), List.of(done.getMetadata().getName()),
        List.of());

    Rendering r = Renderer.migrationJobs(s.app(), OWNER, decision, withJobs(done));

    assertThat(r.waves()).map(Rendering.Wave::stage).containsExactly(Stage.MIGRATION_JOBS);
    assertThat(r.waves().get(0).writes()).containsExactly(new Rendering.Write(
        MigrationJobs.desired(s.app(), OWNER, expand(2)), Mode.CREATE));
    assertThat(r.removals()).containsExactly(new Rendering.Removal(done, true));
    // A held plan writes no Job either.
    MigrationPlanner.Decision held = new MigrationPlanner.Decision(plan(s).hold().build(),
        List.of(expand(2)), List.of(), List.of(), List.of());
    assertThat(Renderer.migrationJobs(s.app(), OWNER, held, AppChildren.NONE))
        .isEqualTo(Rendering.NOTHING);
  }
}
