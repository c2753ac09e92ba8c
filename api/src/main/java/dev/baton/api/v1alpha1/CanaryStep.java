package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** One canary step: exactly one of setWeight, pause, setCanaryScale and analysis. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "[has(self.setWeight), has(self.pause), has(self.setCanaryScale), has(self.analysis)]"
        + ".filter(x, x).size() == 1",
    message = "each canary step sets exactly one of setWeight, pause, setCanaryScale and analysis",
    reason = "FieldValueInvalid")
public class CanaryStep {

  @Min(0)
  @Max(100)
  @JsonPropertyDescription("Percent of traffic for the new version. With an ingress provider the "
      + "weight is exact; with provider none it is approximated by pod counts (see the README).")
  public Integer setWeight;

  @JsonPropertyDescription("Hold here: for `seconds`, or until a manual promote when empty ({}).")
  public Pause pause;

  @JsonPropertyDescription("Size the canary independently of its weight (needs an ingress "
      + "provider): a pod count, a percent of replicas, or back to following the weight.")
  public CanaryScale setCanaryScale;

  @JsonPropertyDescription("Hold here until an analysis gives its verdict: passed, the rollout "
      + "goes on; failed, it aborts; inconclusive, it pauses for a decision. A timer never "
      + "passes it.")
  public AnalysisSpec analysis;

  /** A step that sets the weight. */
  public static CanaryStep weight(int percent) {
    CanaryStep step = new CanaryStep();
    step.setWeight = percent;
    return step;
  }

  /** A step that holds for {@code seconds}, or until a manual promote when null. */
  public static CanaryStep pauseFor(Integer seconds) {
    CanaryStep step = new CanaryStep();
    step.pause = new Pause();
    step.pause.seconds = seconds;
    return step;
  }

  /** A pause step. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Pause {
    @Min(0)
    @JsonPropertyDescription("Seconds to wait; omit to wait for a manual promote.")
    public Integer seconds;
  }

  /** How many pods the canary runs, when not derived from its weight. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "[has(self.replicas), has(self.weight), has(self.matchTrafficWeight)]"
          + ".filter(x, x).size() == 1",
      message = "setCanaryScale sets exactly one of replicas, weight and matchTrafficWeight",
      reason = "FieldValueInvalid")
  @ValidationRule(
      value = "!has(self.matchTrafficWeight) || self.matchTrafficWeight",
      message = "matchTrafficWeight can only be true",
      reason = "FieldValueInvalid")
  public static class CanaryScale {
    @Min(0)
    @JsonPropertyDescription("Exact number of canary pods.")
    public Integer replicas;

    @Min(0)
    @Max(100)
    @JsonPropertyDescription("Canary pods as a percent of spec.replicas (rounded up).")
    public Integer weight;

    @JsonPropertyDescription("true: the canary's size follows its traffic weight again (the "
        + "default).")
    public Boolean matchTrafficWeight;
  }
}
