package dev.baton.analysis.provider.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.analysis.Observation;
import dev.baton.analysis.ResolvedMetric;
import dev.baton.analysis.RunKey;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The job provider, pure: the Job of one measurement (named by app, metric, revision, attempt,
 * step and measurement number, so it is created once and a retry gets a new one) and what a
 * Job's status says. The applier creates the Job; the informer's copy is read back here. A Job
 * that has not finished is no observation yet.
 */
public final class JobMeasurements {

  /** On an analysis Job: the app. */
  public static final String APP = "baton.dev/app";
  /** On an analysis Job: the run, as {@code r<revision>-a<attempt>-<step>}. */
  public static final String RUN = "baton.dev/analysis-run";
  /** On an analysis Job: the metric. */
  public static final String METRIC = "baton.dev/analysis-metric";
  /** On an analysis Job: which measurement of the metric in its run it is (from 1). */
  public static final String MEASUREMENT = "baton.dev/analysis-measurement";

  private static final ObjectMapper JSON = new ObjectMapper();

  private JobMeasurements() {}

  /**
   * The Job of measurement {@code n} (from 1) of {@code metric} in run {@code key}.
   *
   * @throws IllegalArgumentException when the metric's Job spec is not a batch/v1 JobSpec
   */
  public static Job desiredJob(String app, String namespace, RunKey key, ResolvedMetric metric,
      int n) {
    var job = metric.spec().provider.job;
    if (job == null) {
      throw new IllegalArgumentException("not a job metric: " + metric.name());
    }
    JobSpec spec = toJobSpec(job.spec);
    if (spec.getBackoffLimit() == null) {
      spec.setBackoffLimit(0);
    }
    if (spec.getTemplate() != null && spec.getTemplate().getSpec() != null
        && spec.getTemplate().getSpec().getRestartPolicy() == null) {
      spec.getTemplate().getSpec().setRestartPolicy("Never");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (job.labels != null) {
      labels.putAll(job.labels);
    }
    labels.put(APP, app);
    labels.put(RUN, key.namePart());
    labels.put(METRIC, metric.name());
    labels.put(MEASUREMENT, Integer.toString(n));
    return new JobBuilder()
        .withNewMetadata().withName(jobName(app, key, metric.name(), n)).withNamespace(namespace)
        .withLabels(labels).endMetadata()
        .withSpec(spec)
        .build();
  }

  /** A JobSpec from the metric's free-form spec. */
  public static JobSpec toJobSpec(JsonNode spec) {
    try {
      return JSON.treeToValue(spec, JobSpec.class);
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("job.spec is not a Job spec: " + e.getMessage(), e);
    }
  }

  /** What the Job says: Passed when Complete, Failed when Failed, empty while it runs. */
  public static Optional<Observation> observe(Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    for (JobCondition c : job.getStatus().getConditions()) {
      if (!"True".equals(c.getStatus())) {
        continue;
      }
      if ("Complete".equals(c.getType())) {
        return Optional.of(new Observation.Passed("Job " + job.getMetadata().getName()
            + " succeeded"));
      }
      if ("Failed".equals(c.getType())) {
        return Optional.of(new Observation.Failed("Job " + job.getMetadata().getName()
            + " failed" + (c.getReason() == null ? "" : ": " + c.getReason())
            + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")")));
      }
    }
    return Optional.empty();
  }

  /**
   * {@code <app>-<metric>-<run>-<n>}, cut to a DNS label of 63 characters with a hash of the
   * whole when longer, so that two measurements never share a name.
   */
  public static String jobName(String app, RunKey key, String metric, int n) {
    String full = (app + "-" + metric + "-" + key.namePart() + "-" + n).toLowerCase()
        .replaceAll("[^a-z0-9-]", "-");
    if (full.length() <= 63) {
      return full;
    }
    String hash = sha(full).substring(0, 10);
    return full.substring(0, 52).replaceAll("-+$", "") + "-" + hash;
  }

  private static String sha(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
