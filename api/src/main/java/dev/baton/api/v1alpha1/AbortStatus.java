package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Why and when a rollout was aborted. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AbortStatus {

  @JsonPropertyDescription("A CamelCase reason, e.g. ProgressDeadlineExceeded, AbortedByUser, "
      + "MigrationFailed.")
  public String reason;

  @JsonPropertyDescription("What happened, for people.")
  public String message;

  @JsonPropertyDescription("When (RFC 3339).")
  public String at;
}
