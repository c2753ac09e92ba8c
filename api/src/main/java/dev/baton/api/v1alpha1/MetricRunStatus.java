package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** A metric within an analysis run: counts by outcome and the last few measurements. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MetricRunStatus {

  @JsonPropertyDescription("The metric's name.")
  public String name;

  @JsonPropertyDescription("Running, Successful, Failed or Inconclusive.")
  public AnalysisPhase phase;

  @JsonPropertyDescription("The metric is in dry run: its verdict never moves the rollout.")
  public Boolean dryRun;

  @JsonPropertyDescription("Measurements taken.")
  public Integer count;

  @JsonPropertyDescription("Measurements that passed.")
  public Integer successful;

  @JsonPropertyDescription("Measurements that failed.")
  public Integer failed;

  @JsonPropertyDescription("Measurements that were inconclusive.")
  public Integer inconclusive;

  @JsonPropertyDescription("Measurements that could not be taken.")
  public Integer error;

  @JsonPropertyDescription("Errors in a row, up to the last measurement.")
  public Integer consecutiveErrors;

  @JsonPropertyDescription("What passes, in words (e.g. `result <= 0.05` or `[0.99, +inf]`).")
  public String threshold;

  @JsonPropertyDescription("The last few measurements, newest last (values truncated).")
  public List<MeasurementStatus> measurements = new ArrayList<>();
}
