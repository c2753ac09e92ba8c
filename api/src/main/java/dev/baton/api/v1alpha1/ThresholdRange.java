package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** The closed range of values that pass a metric. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.min) || has(self.max)",
    message = "thresholdRange needs min, max or both", reason = "FieldValueRequired")
@ValidationRule(value = "!has(self.min) || !has(self.max) || self.min <= self.max",
    message = "thresholdRange.min must not be greater than max", reason = "FieldValueInvalid")
public class ThresholdRange {

  @JsonPropertyDescription("The smallest value that passes (inclusive).")
  public Double min;

  @JsonPropertyDescription("The largest value that passes (inclusive).")
  public Double max;

  /** A range from {@code min} to {@code max}; either may be null. */
  public static ThresholdRange of(Double min, Double max) {
    ThresholdRange r = new ThresholdRange();
    r.min = min;
    r.max = max;
    return r;
  }
}
