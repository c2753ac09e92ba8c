package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * A move of the active Service that a Baton release before {@code status.rollout.activeSelects}
 * decided and was about to write (or had written); read only to complete it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SwitchStatus {

  @JsonPropertyDescription("The baton.dev/revision-hash label value the active Service "
      + "selects after the move: a revision's hash, or `rolling` for the rolling strategy's one "
      + "Deployment, whose pods keep that label whatever template they run (hash names the "
      + "revision).")
  public String selects;

  @JsonPropertyDescription("Pod-template hash of the revision promoted by the move.")
  public String hash;

  @JsonPropertyDescription("When the move was decided and written (RFC 3339): the promotion time.")
  public String at;

  @JsonPropertyDescription("The Event reason to record once the move is seen (Promoted, "
      + "RolledBack).")
  public String reason;

  @JsonPropertyDescription("The Event message to record once the move is seen.")
  public String message;
}
