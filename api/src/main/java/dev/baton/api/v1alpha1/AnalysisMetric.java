package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * One metric of an analysis: where its value comes from, how often it is measured, and which
 * values pass. A measurement passes only on a finite value for which the success condition holds
 * and the failure condition does not; no data is inconclusive, never a pass.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.thresholdRange) || has(self.successCondition) || has(self.failureCondition)"
        + " || has(self.provider.job)",
    message = "a metric needs thresholdRange, successCondition or failureCondition (a job metric "
        + "needs none): without one no value could ever fail it",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "!has(self.thresholdRange) || (!has(self.successCondition) "
        + "&& !has(self.failureCondition))",
    message = "a metric has either thresholdRange or CEL conditions, not both",
    reason = "FieldValueInvalid")
public class AnalysisMetric {

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
  @JsonPropertyDescription("The metric's name (a DNS label), unique in its analysis; Events and "
      + "status.analysis name it.")
  public String name;

  @Required
  @JsonPropertyDescription("Where the value comes from: exactly one of prometheus, web and job.")
  public MetricProviderSpec provider;

  @Min(1)
  @JsonPropertyDescription("Seconds between measurements. Omitted: the metric is measured "
      + "`count` times back to back (once by default).")
  public Integer intervalSeconds;

  @Min(1)
  @JsonPropertyDescription("How many measurements to take. Default 1 without intervalSeconds; "
      + "with intervalSeconds and no count, measurements go on for as long as the analysis runs "
      + "(canary background analysis only: a step, a promotion or a rolling update waiting for "
      + "an endless metric would never finish).")
  public Integer count;

  @Default("0")
  @Min(0)
  @JsonPropertyDescription("Seconds to wait before the first measurement, e.g. for traffic to "
      + "reach the new version.")
  public Integer initialDelaySeconds;

  @JsonPropertyDescription("The values that pass: min <= value <= max (either bound may be "
      + "omitted). Instead of successCondition and failureCondition.")
  public ThresholdRange thresholdRange;

  @JsonPropertyDescription("A CEL expression over `result` (the measured number, a double) that "
      + "must be true for a measurement to pass, e.g. `result >= 0.99`.")
  public String successCondition;

  @JsonPropertyDescription("A CEL expression over `result` that, when true, fails the "
      + "measurement, e.g. `result > 0.05`. Checked first: a value that meets both fails.")
  public String failureCondition;

  @Default("0")
  @Min(0)
  @JsonPropertyDescription("Failed measurements tolerated: the metric fails at failureLimit + 1. "
      + "Default 0: the first failed measurement fails it.")
  public Integer failureLimit;

  @Default("0")
  @Min(0)
  @JsonPropertyDescription("Inconclusive measurements (no data, NaN, Inf) tolerated: at "
      + "inconclusiveLimit + 1 the metric is inconclusive and the rollout pauses for a decision.")
  public Integer inconclusiveLimit;

  @Default("4")
  @Min(1)
  @JsonPropertyDescription("Measurement errors in a row (provider unreachable, timeout, 401, "
      + "unparsable answer, a CEL error) after which the metric fails. A success resets the "
      + "streak.")
  public Integer consecutiveErrorLimit;

  @Default("false")
  @JsonPropertyDescription("Measure and report, but never fail, pause or abort the rollout "
      + "because of this metric.")
  public Boolean dryRun;
}
