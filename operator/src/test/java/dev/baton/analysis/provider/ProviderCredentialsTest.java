package dev.baton.analysis.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.CredentialsRef;
import dev.baton.api.v1alpha1.HttpAuthentication;
import dev.baton.api.v1alpha1.MetricProviderSpec;
import dev.baton.api.v1alpha1.PrometheusMetric;
import dev.baton.api.v1alpha1.SecretKeyRef;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Credentials come from the caller's Secret reader and never show in toString. */
class ProviderCredentialsTest {

  static MetricProviderSpec basic() {
    MetricProviderSpec p = new MetricProviderSpec();
    p.prometheus = new PrometheusMetric();
    p.prometheus.address = "https://prom";
    p.prometheus.query = "up";
    p.prometheus.authentication = new HttpAuthentication();
    p.prometheus.authentication.basic = new CredentialsRef();
    p.prometheus.authentication.basic.name = "prom";
    return p;
  }

  @Test
  void readsTheNamedKeysAndNeverShowsThem() {
    Map<SecretKeyRef, String> secrets = Map.of(SecretKeyRef.of("prom", "username"), "baton",
        SecretKeyRef.of("prom", "password"), "hunter2");
    assertThat(ProviderCredentials.needed(basic())).containsExactly(
        SecretKeyRef.of("prom", "username"), SecretKeyRef.of("prom", "password"));
    ProviderCredentials c = ProviderCredentials.resolve(basic(),
        ref -> Optional.ofNullable(secrets.get(ref))).credentials().orElseThrow();
    assertThat(c.username()).contains("baton");
    assertThat(c.password()).contains("hunter2");
    assertThat(c.toString()).doesNotContain("hunter2").doesNotContain("baton");
  }

  @Test
  void aMissingKeyIsNamed() {
    ProviderCredentials.Result r = ProviderCredentials.resolve(basic(), ref -> Optional.empty());
    assertThat(r.credentials()).isEmpty();
    assertThat(r.problem()).isEqualTo("Secret 'prom' has no key 'username' (or does not exist)");
  }
}
