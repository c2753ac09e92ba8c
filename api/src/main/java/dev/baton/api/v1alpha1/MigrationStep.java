package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;

/** One migration: what the Job's container runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MigrationStep {

  @JsonPropertyDescription("The container's command (its entrypoint). Default: the image's.")
  public List<String> command;

  @JsonPropertyDescription("Arguments to the command, e.g. [migrate, up].")
  public List<String> args;

  @Size(max = 64)
  @JsonPropertyDescription("Extra environment variables, as in a container. A variable named like "
      + "one of the connection settings replaces it.")
  public List<EnvVar> env;
}
