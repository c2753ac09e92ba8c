package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** A Secret and the keys of the database user name and password in it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CredentialsRef {

  @Required
  @JsonPropertyDescription("The Secret's name, in the app's namespace.")
  public String name;

  @Default("username")
  @JsonPropertyDescription("The key of the user name.")
  public String usernameKey;

  @Default("password")
  @JsonPropertyDescription("The key of the password.")
  public String passwordKey;
}
