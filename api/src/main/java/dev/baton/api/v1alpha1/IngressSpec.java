package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * How traffic reaches the app from outside the cluster, and through what Baton shifts weights
 * between the live and the next version.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.gatewayAPI) || self.provider == 'gatewayAPI'",
    message = "gatewayAPI may only be set when provider is gatewayAPI",
    fieldPath = ".gatewayAPI",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "self.provider != 'gatewayAPI' || (has(self.gatewayAPI)"
        + " && size(self.gatewayAPI.parentRefs) > 0)",
    message = "provider gatewayAPI needs gatewayAPI.parentRefs: the Gateway(s) the HTTPRoute "
        + "attaches to",
    fieldPath = ".gatewayAPI",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "!has(self.nginx) || self.provider == 'nginx'",
    message = "nginx may only be set when provider is nginx",
    fieldPath = ".nginx",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "!has(self.paths) || self.paths.all(p, p.startsWith('/'))",
    message = "every path must start with /",
    fieldPath = ".paths",
    reason = "FieldValueInvalid")
public class IngressSpec {

  /** The ingress implementations Baton writes weights to. */
  public enum Provider { none, nginx, gatewayAPI, traefik }

  @Default("none")
  @JsonPropertyDescription("none: Services only (blue/green flips the Service selector; a canary's "
      + "weight is approximated by pod counts). nginx: an Ingress and a canary Ingress for "
      + "ingress-nginx. gatewayAPI: an HTTPRoute with two weighted backends. traefik: an "
      + "IngressRoute to a weighted TraefikService.")
  public Provider provider;

  @JsonPropertyDescription("IngressClass of the Ingresses (nginx provider), e.g. nginx.")
  public String className;

  @JsonPropertyDescription("Host name the app is served on, e.g. shop.example.com. Without it, the "
      + "Ingress or route matches any host.")
  public String host;

  @Default("[\"/\"]")
  @JsonPropertyDescription("Path prefixes routed to the app. Default [/].")
  @io.fabric8.generator.annotation.Size(min = 1, max = 16)
  public List<String> paths;

  @JsonPropertyDescription("TLS for host: the Secret with the certificate, and optionally a "
      + "cert-manager issuer that fills it.")
  public TlsSpec tls;

  @JsonPropertyDescription("Gateway API settings: the Gateways the HTTPRoute attaches to.")
  public GatewayApiSpec gatewayAPI;

  @JsonPropertyDescription("ingress-nginx settings: route requests with a header or cookie to the "
      + "new version regardless of its weight (for testers).")
  public NginxSpec nginx;

  @JsonPropertyDescription("Extra annotations on the Ingress or route Baton writes (e.g. for an "
      + "external-dns or a WAF). Annotations others add to those objects are kept too.")
  public Map<String, String> annotations;

  /** TLS settings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "!(has(self.issuer) && has(self.clusterIssuer))",
      message = "set at most one of issuer and clusterIssuer",
      reason = "FieldValueInvalid")
  public static class TlsSpec {
    @io.fabric8.generator.annotation.Required
    @io.fabric8.generator.annotation.Size(max = 253)
    @io.fabric8.generator.annotation.Pattern(Names.DNS_SUBDOMAIN)
    @JsonPropertyDescription("Secret (in the app's namespace) holding the certificate.")
    public String secretName;

    @JsonPropertyDescription("cert-manager Issuer to obtain the certificate "
        + "(sets the cert-manager.io/issuer annotation).")
    public String issuer;

    @JsonPropertyDescription("cert-manager ClusterIssuer to obtain the certificate "
        + "(sets the cert-manager.io/cluster-issuer annotation).")
    public String clusterIssuer;
  }

  /** Gateway API settings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class GatewayApiSpec {
    @io.fabric8.generator.annotation.Required
    @io.fabric8.generator.annotation.Size(min = 1, max = 32)
    @JsonPropertyDescription("Gateways (or listeners of them) the HTTPRoute attaches to.")
    public List<ParentRef> parentRefs;
  }

  /**
   * A Gateway the HTTPRoute attaches to. The only reference in the spec that may name another
   * namespace, on purpose: shared Gateways usually live in an infrastructure namespace, and
   * Baton neither reads nor writes the Gateway, it only writes the HTTPRoute in the app's own
   * namespace. Whether the route may attach is the Gateway owner's decision (its listeners'
   * allowedRoutes; the default admits routes of the Gateway's own namespace only), as for any
   * HTTPRoute a user writes by hand. Flagger's gatewayRefs and Argo Rollouts' Gateway API plugin
   * (which takes the user's HTTPRoute as it is) leave it there too.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ParentRef {
    @io.fabric8.generator.annotation.Required
    @io.fabric8.generator.annotation.Size(max = 253)
    @io.fabric8.generator.annotation.Pattern(Names.DNS_SUBDOMAIN)
    @JsonPropertyDescription("Name of the Gateway.")
    public String name;

    @io.fabric8.generator.annotation.Size(max = 63)
    @io.fabric8.generator.annotation.Pattern(Names.DNS_LABEL)
    @JsonPropertyDescription("Namespace of the Gateway; default: the app's namespace. Another "
        + "namespace works only if the Gateway's listener admits routes from the app's namespace "
        + "(allowedRoutes): Baton writes only the HTTPRoute, in the app's namespace.")
    public String namespace;

    @JsonPropertyDescription("Listener of the Gateway, e.g. https.")
    public String sectionName;

    @io.fabric8.generator.annotation.Min(1)
    @io.fabric8.generator.annotation.Max(65535)
    @JsonPropertyDescription("Port of the Gateway's listener.")
    public Integer port;
  }

  /** ingress-nginx canary routing by header or cookie. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class NginxSpec {
    @JsonPropertyDescription("Requests with this header set to `always` (or to headerValue) go to "
        + "the new version (nginx.ingress.kubernetes.io/canary-by-header).")
    public String header;

    @JsonPropertyDescription("The header value that selects the new version "
        + "(nginx.ingress.kubernetes.io/canary-by-header-value).")
    public String headerValue;

    @JsonPropertyDescription("Requests with this cookie set to `always` go to the new version "
        + "(nginx.ingress.kubernetes.io/canary-by-cookie).")
    public String cookie;
  }
}
