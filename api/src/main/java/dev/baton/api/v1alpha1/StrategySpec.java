package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** How a new revision replaces the live one. At most one strategy; none set means blue/green. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "[has(self.blueGreen), has(self.canary), has(self.rolling)].filter(x, x).size() <= 1",
    message = "set only one strategy: blueGreen, canary or rolling",
    reason = "FieldValueInvalid")
public class StrategySpec {

  @JsonPropertyDescription("Run the new version beside the live one, and switch all traffic to it "
      + "once every pod is Ready.")
  public BlueGreenSpec blueGreen;

  @JsonPropertyDescription("Shift a growing share of traffic to the new version step by step while "
      + "the live version stays at full size; promote after the last step.")
  public CanarySpec canary;

  @JsonPropertyDescription("Replace the pods of one Deployment a few at a time (maxSurge, "
      + "maxUnavailable), with Baton's progress deadline, abort back to the previous template, "
      + "undo and status.")
  public RollingSpec rolling;
}
