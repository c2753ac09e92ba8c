package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.IntOrString;

/** The Service in front of the app. Baton creates an active and a preview Service of this shape. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceSpec {

  /** Service types Baton supports. */
  public enum Type { ClusterIP, NodePort, LoadBalancer }

  @Required
  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Port the Services listen on.")
  public Integer port;

  @JsonPropertyDescription("Container port (number or name) the Services send traffic to. "
      + "Defaults to `port`.")
  public IntOrString targetPort;

  @Default("ClusterIP")
  @JsonPropertyDescription("Type of the active Service: ClusterIP, NodePort or LoadBalancer. The "
      + "preview Service is always ClusterIP.")
  public Type type;
}
