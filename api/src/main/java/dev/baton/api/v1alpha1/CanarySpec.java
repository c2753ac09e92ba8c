package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Canary: the new version takes a growing share of traffic, step by step, while the live version
 * stays at full size; after the last step the new version is scaled to full size and takes all of
 * it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CanarySpec {

  @Required
  @Size(min = 1, max = 64)
  @JsonPropertyDescription("The steps, in order. Each sets a weight, pauses, or sets the canary's "
      + "size. After the last one the new version is promoted.")
  public List<CanaryStep> steps;

  @Default("30")
  @Min(0)
  @JsonPropertyDescription("Seconds the previous version stays at full size after promotion, so "
      + "that an undo within that window is instant.")
  public Integer scaleDownDelaySeconds;

  @JsonPropertyDescription("An analysis that runs beside the steps from startingStep until "
      + "promotion; a failed metric aborts the rollout at whatever step it is.")
  public BackgroundAnalysis analysis;
}
