package dev.baton.analysis.provider.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.analysis.Observation;
import dev.baton.analysis.ResolvedMetric;
import dev.baton.analysis.RunKey;
import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.JobMetric;
import dev.baton.api.v1alpha1.MetricProviderSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The job provider: the Job of a measurement, and what its status says. */
class JobMeasurementsTest {

  static ResolvedMetric smoke() throws Exception {
    AnalysisMetric m = new AnalysisMetric();
    m.name = "smoke";
    m.provider = new MetricProviderSpec();
    m.provider.job = new JobMetric();
    m.provider.job.labels = Map.of("team", "web");
    m.provider.job.spec = new ObjectMapper().readTree("{\"template\":{\"spec\":{\"containers\":"
        + "[{\"name\":\"smoke\",\"image\":\"curlimages/curl\",\"args\":[\"http://shop-preview\"]}]"
        + "}}}");
    return ResolvedMetric.of("test", m);
  }

  @Test
  void theJobIsNamedByRunAndMeasurementAndNeverRetries() throws Exception {
    Job job = JobMeasurements.desiredJob("shop", "prod", RunKey.step(3, 2, 1), smoke(), 1);
    assertThat(job.getMetadata().getName()).isEqualTo("shop-smoke-r3-a2-step-1-1");
    assertThat(job.getMetadata().getNamespace()).isEqualTo("prod");
    assertThat(job.getMetadata().getLabels()).containsEntry("team", "web")
        .containsEntry(JobMeasurements.APP, "shop")
        .containsEntry(JobMeasurements.RUN, "r3-a2-step-1")
        .containsEntry(JobMeasurements.METRIC, "smoke");
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("curlimages/curl");
  }

  @Test
  void aLongNameIsCutWithAHashAndStaysUnique() {
    String a = JobMeasurements.jobName("a".repeat(50), RunKey.step(1, 1, 0), "metric", 1);
    String b = JobMeasurements.jobName("a".repeat(50), RunKey.step(1, 1, 0), "metric", 2);
    assertThat(a).hasSizeLessThanOrEqualTo(63).isNotEqualTo(b).matches("[a-z0-9-]+[a-z0-9]");
  }

  @Test
  void theJobsStatusIsTheObservation() {
    Job running = new JobBuilder().withNewMetadata().withName("j").endMetadata().withNewStatus()
        .withActive(1).endStatus().build();
    assertThat(JobMeasurements.observe(running)).isEmpty();
    Job done = new JobBuilder(running).editStatus().addNewCondition().withType("Complete")
        .withStatus("True").endCondition().endStatus().build();
    assertThat(JobMeasurements.observe(done)).containsInstanceOf(Observation.Passed.class);
    Job failed = new JobBuilder(running).editStatus().addNewCondition().withType("Failed")
        .withStatus("True").withReason("BackoffLimitExceeded").endCondition().endStatus().build();
    assertThat(JobMeasurements.observe(failed)).hasValueSatisfying(o ->
        assertThat(((Observation.Failed) o).detail()).contains("BackoffLimitExceeded"));
  }
}
