package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A replaced version kept warm for its rollback window. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetiringVersion {

  @JsonPropertyDescription("Pod-template hash of the revision the version runs (for the rolling "
      + "strategy's Deployment, the revision it last rolled out completely).")
  public String hash;

  @JsonPropertyDescription("The Deployment that keeps it warm: <app>-<hash> for a blue/green or "
      + "canary version, <app> for the rolling strategy's one Deployment.")
  public String deployment;

  @JsonPropertyDescription("When it may be scaled down (RFC 3339): the end of its rollback window.")
  public String scaleDownAt;
}
