package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** How a new revision replaces the live one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// At most one strategy. TODO(canary): add has(self.canary) to the list once that field exists
// (CEL rejects a field the schema does not declare).
@ValidationRule(
    value = "[has(self.blueGreen), has(self.rolling)].filter(x, x).size() <= 1",
    message = "set at most one of blueGreen and rolling",
    reason = "FieldValueForbidden")
public class StrategySpec {

  @JsonPropertyDescription("Run the new version beside the live one, and switch all traffic to it "
      + "once every pod is Ready.")
  public BlueGreenSpec blueGreen;

  @JsonPropertyDescription("Replace the pods of one Deployment a few at a time (maxSurge, "
      + "maxUnavailable), with Baton's progress deadline, abort back to the previous template, "
      + "undo and status.")
  public RollingSpec rolling;
}
