package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A value an app gives to a template's argument. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ArgValue {

  @Required
  @JsonPropertyDescription("The argument's name, as the template declares it.")
  public String name;

  @Required
  @JsonPropertyDescription("Its value (a number argument takes a number, written as text).")
  public String value;

  /** The value {@code value} for argument {@code name}. */
  public static ArgValue of(String name, String value) {
    ArgValue a = new ArgValue();
    a.name = name;
    a.value = value;
    return a;
  }
}
