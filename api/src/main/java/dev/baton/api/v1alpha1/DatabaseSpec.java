package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * The app's data tier: a primary database for writes, read replicas, a cache, and the credentials
 * to reach them. Baton gives each role a Service and hands both versions the connection settings
 * as environment variables.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseSpec {

  @JsonPropertyDescription("The primary (writes). Service <app>-db-primary.")
  public DatabaseEndpoint primary;

  @Size(max = 16)
  @JsonPropertyDescription("Read replicas. One Service, <app>-db-replicas, spreads over all of "
      + "them; the full list is also passed as an environment variable.")
  public List<DatabaseEndpoint> readReplicas;

  @JsonPropertyDescription("The cache (e.g. Redis). Service <app>-cache.")
  public DatabaseEndpoint cache;

  @JsonPropertyDescription("The Secret holding the database user name and password, in the app's "
      + "namespace. The values reach the pods only through secretKeyRef; Baton never copies them.")
  public CredentialsRef credentialsSecretRef;

  @JsonPropertyDescription("Names of the environment variables Baton sets in both versions.")
  public DatabaseEnv env;

  @JsonPropertyDescription("Schema migrations tied to the rollout (expand before the new version "
      + "gets pods, contract once the old one is gone, onAbort when a rollout is aborted), run as "
      + "Jobs exactly once per revision. Not part of the revision: changing only this does not "
      + "start a rollout.")
  public MigrationSpec migration;
}
