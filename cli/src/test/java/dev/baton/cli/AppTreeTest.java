package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.api.v1alpha1.RollbackStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppTreeTest {

  private static final Instant NOW = Instant.parse("2026-11-20T10:02:00Z");

  @Test
  void rolloutInProgressShowsBothVersionsServicesConditionsAndHistory() {
    BatonApp app = Fixtures.app("shop", "api", Phase.Progressing, 1, 2);
    app.getStatus().message = "Rolling out revision 2";
    app.getStatus().activeHash = "aaa111";
    app.getStatus().previewHash = "bbb222";
    Fixtures.condition(app, "Available", "True", "Ready", "3/3 pods available");
    Fixtures.condition(app, "Progressing", "True", "NewVersionStarting", "1/3 ready");
    var r2 = Fixtures.revision(2, "bbb222", "api:2");
    var r1 = Fixtures.revision(1, "aaa111", "api:1");
    r1.promotedAt = "2026-11-20T10:00:05Z";
    r1.reason = "Ready";
    app.getStatus().history.addAll(List.of(r2, r1));
    AppView view = new AppView(app,
        List.of(Fixtures.deployment("api", "aaa111", 1, "api:1", 3, 3),
            Fixtures.deployment("api", "bbb222", 2, "api:2", 3, 1)),
        List.of(Fixtures.service("api", "api", "aaa111"),
            Fixtures.service("api-preview", "api", "bbb222")),
        List.of(Fixtures.pod("api", "aaa111", 0, true), Fixtures.pod("api", "aaa111", 1, true),
            Fixtures.pod("api", "aaa111", 2, true), Fixtures.pod("api", "bbb222", 0, true),
            Fixtures.pod("api", "bbb222", 1, false), Fixtures.pod("api", "bbb222", 2, false)));

    assertThat(AppTree.render(view, NOW)).isEqualTo("""
        batonapp/api (namespace shop, 2m old)
        |-- phase: Progressing - Rolling out revision 2
        |-- weight: 100% active
        |-- active: revision 1, hash aaa111
        |   |-- images: api:1
        |   |-- deployment/api-aaa111: 3/3 ready
        |   `-- pods: 3/3 ready
        |-- preview: revision 2, hash bbb222
        |   |-- images: api:2
        |   |-- deployment/api-bbb222: 1/3 ready
        |   `-- pods: 1/3 ready
        |-- services
        |   |-- service/api -> baton.dev/revision-hash=aaa111 (active, revision 1)
        |   `-- service/api-preview -> baton.dev/revision-hash=bbb222 (preview, revision 2)
        |-- conditions
        |   |-- Available     True   Ready                3/3 pods available
        |   `-- Progressing   True   NewVersionStarting   1/3 ready
        |-- rollback: none
        `-- history
            |-- revision 2: api:2
            `-- revision 1: api:1, promoted 2026-11-20T10:00:05Z (Ready)
        """);
  }

  @Test
  void idleAppAfterUndoShowsThePinAndAnOldVersionStillWarm() {
    BatonApp app = Fixtures.app("shop", "api", Phase.Healthy, 1, null);
    app.getStatus().activeHash = "aaa111";
    RollbackStatus pin = new RollbackStatus();
    pin.revision = 1;
    pin.hash = "aaa111";
    app.getStatus().rollback = pin;
    var warm = Fixtures.deployment("api", "bbb222", 2, "api:2", 3, 3);
    var retiring = new dev.baton.api.v1alpha1.RetiringVersion();
    retiring.hash = "bbb222";
    retiring.scaleDownAt = "2026-11-20T10:02:30Z";
    app.getStatus().retiring = List.of(retiring);
    AppView view = new AppView(app,
        List.of(Fixtures.deployment("api", "aaa111", 1, "api:1", 3, 3), warm),
        List.of(Fixtures.service("api", "api", "aaa111")), List.of());

    String tree = AppTree.render(view, NOW);

    assertThat(tree)
        .contains("|-- other: revision 2, hash bbb222\n"
            + "|   |-- images: api:2\n"
            + "|   |-- deployment/api-bbb222: 3/3 ready (kept for undo until 2026-11-20T10:02:30Z)")
        .contains("|   `-- pods: 0/0 ready")
        .contains("service/api-preview: not found")
        .contains("rollback: pinned to revision 1 (hash aaa111) until spec.template changes")
        .contains("conditions: none")
        .doesNotContain("preview: revision");
  }

  @Test
  void podCountsLeaveOutTerminatingPods() {
    var leaving = Fixtures.pod("api", "aaa111", 3, true);
    leaving.getMetadata().setDeletionTimestamp("2026-11-20T10:01:00Z");

    assertThat(AppTree.podCounts("aaa111", List.of(Fixtures.pod("api", "aaa111", 0, true),
        Fixtures.pod("api", "aaa111", 1, false), leaving, Fixtures.pod("api", "other", 0, true))))
        .isEqualTo("1/2 ready, 1 terminating");
  }

  @Test
  void appNotYetReconciled() {
    BatonApp app = Fixtures.app("shop", "api", null, null, null);

    assertThat(AppTree.render(new AppView(app, List.of(), List.of(), List.of()), NOW))
        .contains("phase: (not reconciled yet)", "active: none", "history: none");
  }

  @Test
  void theWeightLineShowsTheSplitAndTheStep() {
    var s = new dev.baton.api.v1alpha1.BatonAppStatus();
    assertThat(AppTree.weight(s)).isEqualTo("weight: 100% active");
    s.trafficWeight = 25;
    s.currentStep = 1;
    assertThat(AppTree.weight(s)).isEqualTo("weight: 75% active, 25% preview (step 2)");
  }

  @Test
  void theRollingDeploymentRunsTheRevisionsItRollsInAndLastCompleted() {
    var rolling = Fixtures.deployment("api", dev.baton.planning.Labels.ROLLING, 3, "api:3", 4, 4);
    rolling.getSpec().getTemplate().setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    rolling.getSpec().getTemplate().getMetadata().setLabels(java.util.Map.of(
        dev.baton.planning.Labels.TEMPLATE_HASH, "ccc333"));
    var s = new dev.baton.api.v1alpha1.BatonAppStatus();
    s.rollout = new dev.baton.api.v1alpha1.RolloutStatus();
    s.rollout.stableHash = "bbb222";
    assertThat(AppTree.runs(rolling, "ccc333", s)).isTrue();
    assertThat(AppTree.runs(rolling, "bbb222", s)).isTrue();
    assertThat(AppTree.runs(rolling, "aaa111", s)).isFalse();
    assertThat(AppTree.runs(Fixtures.deployment("api", "aaa111", 1, "api:1", 3, 3), "aaa111",
        s)).isTrue();
  }

  @Test
  void analysisRunsShowEachMetricsStateLastValueAndThreshold() {
    BatonApp app = Fixtures.app("shop", "api", Phase.Degraded, 1, 2);
    app.getStatus().activeHash = "aaa111";
    var run = new dev.baton.api.v1alpha1.AnalysisRunStatus();
    run.revision = 2;
    run.attempt = 1;
    run.step = "step-1";
    run.phase = dev.baton.api.v1alpha1.AnalysisPhase.Failed;
    run.message = "metric success-rate: 1 failed measurements";
    var metric = new dev.baton.api.v1alpha1.MetricRunStatus();
    metric.name = "success-rate";
    metric.phase = dev.baton.api.v1alpha1.AnalysisPhase.Failed;
    metric.threshold = "[0.95, +inf]";
    metric.count = 2;
    metric.successful = 1;
    metric.failed = 1;
    var m = new dev.baton.api.v1alpha1.MeasurementStatus();
    m.phase = dev.baton.api.v1alpha1.AnalysisPhase.Failed;
    m.value = "0.42";
    metric.measurements.add(m);
    run.metrics.add(metric);
    app.getStatus().analysis = List.of(run);
    AppView view = new AppView(app, List.of(Fixtures.deployment("api", "aaa111", 1, "api:1", 3,
        3)), List.of(), List.of());

    assertThat(AppTree.render(view, NOW)).contains("""
        |-- analysis
        |   `-- revision 2, attempt 1, step-1: Failed - metric success-rate: 1 failed measurements
        |       `-- success-rate   Failed   last 0.42   passes [0.95, +inf]   1 passed, 1 failed, 0 inconclusive, 0 errors
        """);
  }
}
