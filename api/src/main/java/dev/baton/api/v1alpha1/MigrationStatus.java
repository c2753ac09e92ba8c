package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What became of one migration Job. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MigrationStatus {

  /** Which migration. */
  public enum Kind { expand, contract, onAbort }

  /** Where the Job stands. */
  public enum State { Pending, Running, Succeeded, Failed }

  @JsonPropertyDescription("expand, contract or onAbort.")
  public Kind phase;

  @JsonPropertyDescription("The revision the migration belongs to.")
  public Integer revision;

  @JsonPropertyDescription("1 for the first run of the revision's rollout, 2 after one retry, ...")
  public Integer attempt;

  @JsonPropertyDescription("The Job's name.")
  public String jobName;

  @JsonPropertyDescription("Pending (created, no pod running yet), Running, Succeeded or Failed.")
  public State state;

  @JsonPropertyDescription("When Baton created the Job (RFC 3339).")
  public String startTime;

  @JsonPropertyDescription("When the Job succeeded or failed (RFC 3339).")
  public String completionTime;

  @JsonPropertyDescription("Why it failed (the Job's reason and message), or what it waits for.")
  public String message;
}
