package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** An instant query to Prometheus' HTTP API ({@code /api/v1/query}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.query) != has(self.builtIn)",
    message = "prometheus needs exactly one of query and builtIn", reason = "FieldValueInvalid")
@ValidationRule(value = "self.address.startsWith('http://') || self.address.startsWith('https://')",
    message = "prometheus.address must be an http:// or https:// URL", fieldPath = ".address",
    reason = "FieldValueInvalid")
public class PrometheusMetric {

  @Required
  @Size(max = 2048)
  @JsonPropertyDescription("The server's base URL, e.g. http://prometheus.monitoring:9090.")
  public String address;

  @JsonPropertyDescription("PromQL returning one number: a scalar or a vector of one series "
      + "(aggregate with sum or max). No series is inconclusive; an error ratio whose error "
      + "series does not exist yet returns none, so add `or vector(0)` where zero is meant. "
      + "May use {{args.NAME}} and Baton's variables ({{baton.app}}, {{baton.namespace}}, "
      + "{{baton.canaryHash}}, ...; see the README).")
  public String query;

  @JsonPropertyDescription("A check Baton writes the query for, from the proxy's own metrics.")
  public BuiltInCheck builtIn;

  @Default("10")
  @Min(1)
  @Max(300)
  @JsonPropertyDescription("Seconds the query may take; longer is a measurement error.")
  public Integer timeoutSeconds;

  @JsonPropertyDescription("Credentials sent with each query, read from a Secret when used.")
  public HttpAuthentication authentication;

  @JsonPropertyDescription("TLS settings for an https:// address.")
  public TlsSettings tls;
}
