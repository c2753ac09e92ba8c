package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** How a metric provider checks an https:// server. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsSettings {

  @JsonPropertyDescription("A Secret key holding the PEM certificates of the authorities to trust "
      + "(instead of the JVM's defaults).")
  public SecretKeyRef caCertificate;

  @Default("false")
  @JsonPropertyDescription("Skip the server's certificate check. For tests only: anyone between "
      + "Baton and the server could then answer the measurement.")
  public Boolean insecureSkipVerify;
}
