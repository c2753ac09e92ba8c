package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** An HTTP request whose JSON answer holds the measured number. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.url.startsWith('http://') || self.url.startsWith('https://')",
    message = "web.url must be an http:// or https:// URL", fieldPath = ".url",
    reason = "FieldValueInvalid")
@ValidationRule(value = "!has(self.body) || self.method == 'POST'",
    message = "web.body needs method POST", fieldPath = ".body", reason = "FieldValueInvalid")
public class WebMetric {

  /** The request's method. */
  public enum Method { GET, POST }

  @Required
  @Size(max = 2048)
  @JsonPropertyDescription("The URL; may use {{args.NAME}} and {{baton.*}} variables.")
  public String url;

  @Default("GET")
  @JsonPropertyDescription("GET or POST.")
  public Method method;

  @Size(max = 16)
  @JsonPropertyDescription("Request headers; a value may come from a Secret.")
  public List<HttpHeader> headers;

  @JsonPropertyDescription("The POST body (sent as application/json); may use variables.")
  public String body;

  @Required
  @Pattern("^(/.*)?$")
  @JsonPropertyDescription("Where the number is in the JSON answer, as a JSON Pointer (RFC 6901), "
      + "e.g. /data/errorRate; empty for an answer that is just a number. A JSON number or a "
      + "string holding one; null or a missing field is inconclusive.")
  public String jsonPointer;

  @Default("10")
  @Min(1)
  @Max(300)
  @JsonPropertyDescription("Seconds the request may take; longer is a measurement error.")
  public Integer timeoutSeconds;

  @JsonPropertyDescription("Credentials sent with the request, read from a Secret when used.")
  public HttpAuthentication authentication;

  @JsonPropertyDescription("TLS settings for an https:// URL.")
  public TlsSettings tls;
}
