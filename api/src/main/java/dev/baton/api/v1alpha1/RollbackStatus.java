package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** An undo in force: Baton runs an earlier revision until spec.template changes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RollbackStatus {

  @JsonPropertyDescription("The revision rolled back to.")
  public Integer revision;

  @JsonPropertyDescription("Its pod-template hash.")
  public String hash;

  @JsonPropertyDescription("Hash of spec.template when the undo was asked for; a new template "
      + "ends the undo.")
  public String specHash;

  @JsonPropertyDescription("The value of the baton.dev/undo annotation that asked for it.")
  public String request;
}
