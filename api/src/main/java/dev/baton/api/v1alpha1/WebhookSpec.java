package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.SecretKeySelector;

/** A webhook: its URL, given directly or from a Secret, and the payload format. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.url) != has(self.urlFrom)",
    message = "set exactly one of url and urlFrom",
    reason = "FieldValueInvalid")
public class WebhookSpec {

  /** Payload formats. */
  public enum Format { json, slack }

  @JsonPropertyDescription("The URL to POST to. Use urlFrom instead when the URL holds a token.")
  public String url;

  @JsonPropertyDescription("Where to read the URL: a key of a Secret in the app's namespace. "
      + "The URL is read when a notification is sent and never logged or copied elsewhere.")
  public UrlSource urlFrom;

  @Default("json")
  @JsonPropertyDescription("json: Baton's own payload (event, namespace, app, revision, message, "
      + "time); slack: a Slack incoming-webhook payload ({\"text\": ...}).")
  public Format format;

  /** The Secret holding the URL. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.secretKeyRef) && has(self.secretKeyRef.name)"
          + " && has(self.secretKeyRef.key)",
      message = "urlFrom.secretKeyRef needs the name of a Secret in the app's namespace and a key",
      fieldPath = ".secretKeyRef",
      reason = "FieldValueRequired")
  public static class UrlSource {
    @JsonPropertyDescription("The Secret's name and the key holding the URL.")
    public SecretKeySelector secretKeyRef;
  }
}
