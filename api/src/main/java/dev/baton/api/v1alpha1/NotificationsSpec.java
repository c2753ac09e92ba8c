package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where Baton reports rollouts of this app. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NotificationsSpec {

  @JsonPropertyDescription("An HTTP endpoint called (POST) when a rollout starts, is promoted, is "
      + "aborted or is rolled back. Delivery is retried with backoff and never holds a rollout.")
  public WebhookSpec webhook;
}
