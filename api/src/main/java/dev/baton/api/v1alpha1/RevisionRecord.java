package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** One entry of the status' revision history. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RevisionRecord {

  @JsonPropertyDescription("Revision number, increasing with every new pod template.")
  public Integer revision;

  @JsonPropertyDescription("Pod-template hash of the revision.")
  public String hash;

  @JsonPropertyDescription("Container images of the revision.")
  public List<String> images = new ArrayList<>();

  @JsonPropertyDescription("When the revision was first seen (RFC 3339).")
  public String createdAt;

  @JsonPropertyDescription("When traffic switched to the revision (RFC 3339).")
  public String promotedAt;

  @JsonPropertyDescription("When the rollout of the revision was aborted (RFC 3339).")
  public String abortedAt;

  @JsonPropertyDescription("Why the revision was promoted or aborted.")
  public String reason;
}
