package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** One request header: a literal value or a Secret's key. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.value) != has(self.valueFrom)",
    message = "a header has exactly one of value and valueFrom", reason = "FieldValueInvalid")
public class HttpHeader {

  @Required
  @JsonPropertyDescription("The header's name.")
  public String name;

  @JsonPropertyDescription("The header's value; may use variables.")
  public String value;

  @JsonPropertyDescription("A Secret key holding the value (never logged).")
  public SecretKeyRef valueFrom;
}
