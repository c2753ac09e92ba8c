package dev.baton.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A BatonApp cannot make Baton read or write outside its namespace: read from the committed CRD,
 * every field that could name another namespace is either forbidden by a CEL rule or is the one
 * deliberate exception (a Gateway API parentRef, which Baton only writes into its own HTTPRoute),
 * and every name Baton resolves itself must be a plain DNS name, so no slash can step out of the
 * namespace in a request path. A new field named {@code namespace} fails this test until it is
 * decided on here.
 */
class NamespaceBoundaryTest {

  private static JSONSchemaProps spec;

  @BeforeAll
  static void readCrd() throws IOException {
    Path committed = Path.of(System.getProperty("baton.repoRoot", ".."), "crds",
        "batonapps.baton.dev-v1.yml");
    CustomResourceDefinition crd = new KubernetesSerialization()
        .unmarshal(Files.readString(committed), CustomResourceDefinition.class);
    spec = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema()
        .getProperties().get("spec");
  }

  @Test
  void theOnlyNamespaceFieldsAreTheForbiddenOneAndTheGatewayParent() {
    Map<String, JSONSchemaProps> namespaceFields = new TreeMap<>();
    walk("spec", spec, namespaceFields);
    // The two under volumes are the pod's, passed to Kubernetes as any Deployment's: a generic
    // ephemeral volume's claim is always created in the pod's namespace, and a cross-namespace
    // dataSourceRef needs a ReferenceGrant from the other namespace's owner. Baton reads neither.
    assertThat(namespaceFields.keySet()).containsExactly(
        "spec.ingress.gatewayAPI.parentRefs[].namespace",
        "spec.template.metadata.namespace",
        "spec.template.spec.volumes[].ephemeral.volumeClaimTemplate.metadata.namespace",
        "spec.template.spec.volumes[].ephemeral.volumeClaimTemplate.spec.dataSourceRef.namespace");
  }

  @Test
  void aPodTemplateCannotNameANamespace() {
    assertThat(spec.getXKubernetesValidations()).extracting(ValidationRule::getRule)
        .contains("!has(self.template.metadata) || !has(self.template.metadata.namespace)");
  }

  @Test
  void namesBatonLooksUpAreDnsNamesWithoutASlash() {
    JSONSchemaProps credentials = spec.getProperties().get("database").getProperties()
        .get("credentialsSecretRef").getProperties().get("name");
    JSONSchemaProps tls = spec.getProperties().get("ingress").getProperties().get("tls")
        .getProperties().get("secretName");
    JSONSchemaProps parent = spec.getProperties().get("ingress").getProperties()
        .get("gatewayAPI").getProperties().get("parentRefs").getItems().getSchema();
    for (JSONSchemaProps name : new JSONSchemaProps[] {credentials, tls,
        parent.getProperties().get("name"), parent.getProperties().get("namespace")}) {
      Pattern pattern = Pattern.compile(name.getPattern());
      assertThat(name.getMaxLength()).isNotNull();
      assertThat(pattern.matcher("shop-db").matches()).isTrue();
      assertThat(pattern.matcher("kube-system/admin").matches()).isFalse();
      assertThat(pattern.matcher("../admin").matches()).isFalse();
      assertThat(pattern.matcher("Shop").matches()).isFalse();
    }
    assertThat(pattern(credentials).matcher("db.shop").matches()).isTrue();
  }

  @Test
  void aWebhookSecretRefNeedsANameAndAKey() {
    JSONSchemaProps urlFrom = spec.getProperties().get("notifications").getProperties()
        .get("webhook").getProperties().get("urlFrom");
    assertThat(urlFrom.getXKubernetesValidations()).extracting(ValidationRule::getRule)
        .anyMatch(r -> r.contains("has(self.secretKeyRef.name)"));
    assertThat(urlFrom.getProperties().get("secretKeyRef").getProperties())
        .doesNotContainKey("namespace");
  }

  private static Pattern pattern(JSONSchemaProps p) {
    return Pattern.compile(p.getPattern());
  }

  private static void walk(String path, JSONSchemaProps node, Map<String, JSONSchemaProps> found) {
    if (node.getProperties() != null) {
      for (Map.Entry<String, JSONSchemaProps> e : node.getProperties().entrySet()) {
        String child = path + "." + e.getKey();
        if (e.getKey().equals("namespace")) {
          found.put(child, e.getValue());
        }
        walk(child, e.getValue(), found);
      }
    }
    if (node.getItems() != null && node.getItems().getSchema() != null) {
      walk(path + "[]", node.getItems().getSchema(), found);
    }
    if (node.getAdditionalProperties() != null
        && node.getAdditionalProperties().getSchema() != null) {
      walk(path + "{}", node.getAdditionalProperties().getSchema(), found);
    }
  }
}
