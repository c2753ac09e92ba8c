package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** One database or cache endpoint: a host, or a selector for an in-cluster workload, and a port. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.host) != has(self.selector)",
    message = "set exactly one of host and selector",
    reason = "FieldValueInvalid")
public class DatabaseEndpoint {

  @JsonPropertyDescription("A DNS name (the role Service becomes an ExternalName Service) or an IP "
      + "address (a headless Service with an EndpointSlice Baton owns).")
  public String host;

  @JsonPropertyDescription("Labels of in-cluster pods to send the role's traffic to (a plain "
      + "selector Service).")
  public Map<String, String> selector;

  @Required
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("The port.")
  public Integer port;
}
