package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One measurement, as kept in status (a few per metric). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MeasurementStatus {

  @JsonPropertyDescription("Successful, Failed, Inconclusive or Error.")
  public AnalysisPhase phase;

  @JsonPropertyDescription("The measured value as text (truncated), absent when there was none.")
  public String value;

  @JsonPropertyDescription("Why, for an inconclusive or error measurement (truncated).")
  public String message;

  @JsonPropertyDescription("When it was taken (RFC 3339).")
  public String at;
}
