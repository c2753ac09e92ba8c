package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** One step of a stepped blue/green: send this share of traffic to the new version, then wait. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrafficStep {

  @Required
  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Percent of traffic sent to the new version in this step.")
  public Integer weight;

  @Min(0)
  @JsonPropertyDescription("Seconds to hold this step before the next one. Without it the step "
      + "waits for a manual promote (annotation baton.dev/promote or `kubectl baton promote`).")
  public Integer pauseSeconds;

  @JsonPropertyDescription("An analysis run once this step's weight is in place: the step holds "
      + "until its verdict instead of for pauseSeconds (a timer never passes it). Passed, the "
      + "rollout moves on; failed, it aborts (weight 0 in one write); inconclusive, it pauses "
      + "for a promote.")
  public AnalysisSpec analysis;
}
