package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The metrics a template provides and the arguments they take. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnalysisTemplateSpec {

  @Size(max = 32)
  @JsonPropertyDescription("The arguments the metrics use as {{args.NAME}}.")
  public List<AnalysisArg> args;

  @Required
  @Size(min = 1, max = 16)
  @JsonPropertyDescription("The metrics, each with its provider, schedule and passing values.")
  public List<AnalysisMetric> metrics;
}
