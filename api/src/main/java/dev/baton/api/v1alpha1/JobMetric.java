package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/**
 * A Job run once per measurement, named after the revision, attempt, step and measurement so
 * that it is created once. It passes when the Job succeeds, fails when the Job fails.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class JobMetric {

  @JsonPropertyDescription("Labels to add to the Job (Baton adds its own identity labels).")
  public Map<String, String> labels;

  @Required
  @PreserveUnknownFields
  @JsonPropertyDescription("The Job's spec, as in a batch/v1 Job (`kubectl explain job.spec`). "
      + "Its restartPolicy defaults to Never and its backoffLimit to 0. Strings may use "
      + "{{args.NAME}} and {{baton.*}} variables.")
  public JsonNode spec;
}
