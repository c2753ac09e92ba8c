package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How a new revision replaces the live one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StrategySpec {

  @JsonPropertyDescription("Run the new version beside the live one, and switch all traffic to it "
      + "once every pod is Ready.")
  public BlueGreenSpec blueGreen;
}
