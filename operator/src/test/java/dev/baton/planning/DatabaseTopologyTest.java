package dev.baton.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.CredentialsRef;
import dev.baton.api.v1alpha1.DatabaseEndpoint;
import dev.baton.api.v1alpha1.DatabaseSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Endpoint forms to Services, and the connection settings handed to the pods. */
class DatabaseTopologyTest {

  private static DatabaseEndpoint host(String host, int port) {
    DatabaseEndpoint e = new DatabaseEndpoint();
    e.host = host;
    e.port = port;
    return e;
  }

  private static DatabaseEndpoint selector(Map<String, String> labels, int port) {
    DatabaseEndpoint e = new DatabaseEndpoint();
    e.selector = labels;
    e.port = port;
    return e;
  }

  private static AppSettings app(DatabaseSpec db) {
    BatonAppSpec spec = Fixtures.spec(2, "api:1");
    spec.database = db;
    return AppSettings.of("shop", "ns", 1, spec);
  }

  private static DatabaseSpec topology() {
    DatabaseSpec db = new DatabaseSpec();
    db.primary = host("mysql-0.db.svc", 3306);
    db.readReplicas = List.of(host("10.0.0.11", 3306), host("10.0.0.12", 3306));
    db.cache = selector(Map.of("app", "redis"), 6379);
    db.credentialsSecretRef = new CredentialsRef();
    db.credentialsSecretRef.name = "shop-db";
    return db;
  }

  @Test
  void aHostNameIsExternalNameIpsAreHeadlessWithASliceAndASelectorSelects() {
    List<HasMetadata> objects = DatabaseTopology.objects(app(topology()), new OwnerReference());

    Service primary = (Service) objects.get(0);
    assertThat(primary.getMetadata().getName()).isEqualTo("shop-db-primary");
    assertThat(primary.getSpec().getType()).isEqualTo("ExternalName");
    assertThat(primary.getSpec().getExternalName()).isEqualTo("mysql-0.db.svc");

    Service replicas = (Service) objects.get(1);
    assertThat(replicas.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(replicas.getSpec().getSelector()).isNullOrEmpty();
    EndpointSlice slice = (EndpointSlice) objects.get(2);
    assertThat(slice.getMetadata().getLabels())
        .containsEntry("kubernetes.io/service-name", "shop-db-replicas");
    assertThat(slice.getEndpoints()).flatExtracting(e -> e.getAddresses())
        .containsExactly("10.0.0.11", "10.0.0.12");

    Service cache = (Service) objects.get(3);
    assertThat(cache.getMetadata().getName()).isEqualTo("shop-cache");
    assertThat(cache.getSpec().getSelector()).containsEntry("app", "redis");
  }

  @Test
  void everyContainerGetsTheSettingsAndCredentialsOnlyAsSecretReferences() {
    var template = DatabaseTopology.withConnectionEnv(Fixtures.template("api:1"), "shop",
        topology());

    List<EnvVar> env = template.getSpec().getContainers().get(0).getEnv();
    assertThat(env).extracting(EnvVar::getName).containsExactly("DB_PRIMARY_HOST",
        "DB_PRIMARY_PORT", "DB_REPLICAS_HOST", "DB_REPLICAS_PORT", "DB_REPLICA_ENDPOINTS",
        "CACHE_HOST", "CACHE_PORT", "DB_USERNAME", "DB_PASSWORD");
    assertThat(env).filteredOn(e -> e.getName().equals("DB_REPLICA_ENDPOINTS"))
        .extracting(EnvVar::getValue).containsExactly("10.0.0.11:3306,10.0.0.12:3306");
    assertThat(env).filteredOn(e -> e.getName().startsWith("DB_PASSWORD")).allSatisfy(e -> {
      assertThat(e.getValue()).isNull();
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("shop-db");
      assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
    });
  }

  @Test
  void aMissingSecretOrKeyIsAnInvalidSpecThatNamesIt() {
    AppSettings app = app(topology());

    assertThat(SpecValidator.problem(app, name -> Optional.empty()))
        .hasValueSatisfying(m -> assertThat(m).contains("Secret 'shop-db' does not exist"));
    assertThat(SpecValidator.problem(app, name -> Optional.of(Set.of("username"))))
        .hasValueSatisfying(m -> assertThat(m).contains("no key 'password'"));
    assertThat(SpecValidator.problem(app,
        name -> Optional.of(Set.of("username", "password")))).isEmpty();
  }
}
