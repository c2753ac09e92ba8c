package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Where a metric's value comes from: exactly one provider. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "[has(self.prometheus), has(self.web), has(self.job)].filter(x, x).size() == 1",
    message = "a metric's provider is exactly one of prometheus, web and job",
    reason = "FieldValueInvalid")
public class MetricProviderSpec {

  @JsonPropertyDescription("An instant query to a Prometheus server (or a built-in check of the "
      + "proxy's metrics); the result must be one number.")
  public PrometheusMetric prometheus;

  @JsonPropertyDescription("An HTTP request whose JSON answer holds the number.")
  public WebMetric web;

  @JsonPropertyDescription("A Job: the measurement passes when the Job succeeds and fails when "
      + "it fails. No condition is needed. One Job per measurement, created once, owned by "
      + "the app.")
  public JobMetric job;
}
