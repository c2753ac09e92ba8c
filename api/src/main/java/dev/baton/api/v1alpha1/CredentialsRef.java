package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Secret and the keys of the database user name and password in it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CredentialsRef {

  @Required
  @Size(max = 253)
  @Pattern(Names.DNS_SUBDOMAIN)
  @JsonPropertyDescription("The Secret's name, in the app's namespace (a Secret elsewhere cannot "
      + "be named: a BatonApp only reads its own namespace).")
  public String name;

  @Default("username")
  @JsonPropertyDescription("The key of the user name.")
  public String usernameKey;

  @Default("password")
  @JsonPropertyDescription("The key of the password.")
  public String passwordKey;
}
