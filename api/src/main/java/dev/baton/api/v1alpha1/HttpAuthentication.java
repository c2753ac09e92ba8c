package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Credentials for a metric provider's HTTP requests, from Secrets in the app's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.basic) != has(self.bearerToken)",
    message = "authentication is exactly one of basic and bearerToken", reason = "FieldValueInvalid")
public class HttpAuthentication {

  @JsonPropertyDescription("HTTP basic authentication: a Secret with the user name and password.")
  public CredentialsRef basic;

  @JsonPropertyDescription("A bearer token (Authorization: Bearer ...) from a Secret's key.")
  public SecretKeyRef bearerToken;
}
