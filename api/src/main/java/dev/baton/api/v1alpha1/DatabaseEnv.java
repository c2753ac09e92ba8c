package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** Names of the environment variables carrying the connection settings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseEnv {

  @Default("DB_PRIMARY_HOST")
  @JsonPropertyDescription("Host of the primary (the <app>-db-primary Service).")
  public String primaryHost;

  @Default("DB_PRIMARY_PORT")
  @JsonPropertyDescription("Port of the primary.")
  public String primaryPort;

  @Default("DB_REPLICAS_HOST")
  @JsonPropertyDescription("Host of the replicas Service (<app>-db-replicas).")
  public String replicasHost;

  @Default("DB_REPLICAS_PORT")
  @JsonPropertyDescription("Port of the replicas Service.")
  public String replicasPort;

  @Default("DB_REPLICA_ENDPOINTS")
  @JsonPropertyDescription("Every replica as host:port, comma-separated, for clients that balance "
      + "reads themselves.")
  public String replicaEndpoints;

  @Default("CACHE_HOST")
  @JsonPropertyDescription("Host of the cache (the <app>-cache Service).")
  public String cacheHost;

  @Default("CACHE_PORT")
  @JsonPropertyDescription("Port of the cache.")
  public String cachePort;

  @Default("DB_USERNAME")
  @JsonPropertyDescription("The database user name (a secretKeyRef).")
  public String username;

  @Default("DB_PASSWORD")
  @JsonPropertyDescription("The database password (a secretKeyRef).")
  public String password;
}
