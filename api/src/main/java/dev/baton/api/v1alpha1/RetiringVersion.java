package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A replaced version kept warm for its rollback window. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetiringVersion {

  @JsonPropertyDescription("Pod-template hash of the version (its baton.dev/revision-hash label).")
  public String hash;

  @JsonPropertyDescription("When it may be scaled down (RFC 3339): the end of its rollback window.")
  public String scaleDownAt;
}
