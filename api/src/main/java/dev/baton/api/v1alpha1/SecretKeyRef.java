package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** One key of a Secret in the app's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyRef {

  @Required
  @JsonPropertyDescription("The Secret's name, in the app's namespace.")
  public String name;

  @Required
  @JsonPropertyDescription("The key in it.")
  public String key;

  /** The key {@code key} of Secret {@code name}. */
  public static SecretKeyRef of(String name, String key) {
    SecretKeyRef r = new SecretKeyRef();
    r.name = name;
    r.key = key;
    return r;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretKeyRef r && java.util.Objects.equals(name, r.name)
        && java.util.Objects.equals(key, r.key);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(name, key);
  }

  @Override
  public String toString() {
    return "Secret " + name + " key " + key;
  }
}
