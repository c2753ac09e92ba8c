package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * An analysis: the metrics of some templates and of the app's own (spec.analysisMetrics, named
 * here), with the values of the templates' arguments. It succeeds when every metric does, fails as soon as one (not in dry run) fails, and
 * is inconclusive when one is, and none failed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(has(self.templates) && size(self.templates) > 0) "
        + "|| (has(self.metrics) && size(self.metrics) > 0)",
    message = "an analysis needs at least one template or metric", reason = "FieldValueRequired")
public class AnalysisSpec {

  @Size(max = 8)
  @JsonPropertyDescription("Templates whose metrics this analysis runs.")
  public List<TemplateRef> templates;

  @Size(max = 16)
  @JsonPropertyDescription("Names of metrics of the app's spec.analysisMetrics to run beside the "
      + "templates' ones.")
  public List<String> metrics;

  @Size(max = 32)
  @JsonPropertyDescription("Values of the templates' arguments.")
  public List<ArgValue> args;
}
