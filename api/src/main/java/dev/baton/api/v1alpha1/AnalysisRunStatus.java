package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * One analysis run, keyed by revision, attempt and step: its verdict and its metrics' counts.
 * There are no run objects to clean up; the list is bounded.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnalysisRunStatus {

  @JsonPropertyDescription("The revision analysed.")
  public Integer revision;

  @JsonPropertyDescription("The attempt at that revision: 1, then one more for each retry, so a "
      + "retry never reuses an earlier verdict.")
  public Integer attempt;

  @JsonPropertyDescription("Where it runs: `step-N` (canary step N, from 0), `background`, "
      + "`prePromotion` or `postPromotion`.")
  public String step;

  @JsonPropertyDescription("Running, Successful, Failed or Inconclusive.")
  public AnalysisPhase phase;

  @JsonPropertyDescription("Why it has its phase: the deciding metric, its value and threshold.")
  public String message;

  @JsonPropertyDescription("When the run started (RFC 3339).")
  public String startedAt;

  @JsonPropertyDescription("When its verdict was given (RFC 3339).")
  public String completedAt;

  @JsonPropertyDescription("An Inconclusive verdict that a promote accepted.")
  public Boolean overridden;

  @JsonPropertyDescription("Each metric's state and counts.")
  public List<MetricRunStatus> metrics = new ArrayList<>();
}
