package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/**
 * An analysis that runs beside the steps, from a starting step until the rollout completes; it
 * fails the rollout the moment a metric fails, whatever step it is at.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackgroundAnalysis extends AnalysisSpec {

  @Default("0")
  @Min(0)
  @JsonPropertyDescription("Index (from 0) of the step from which the analysis runs.")
  public Integer startingStep;
}
