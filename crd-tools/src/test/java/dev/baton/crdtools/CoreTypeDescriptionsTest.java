package dev.baton.crdtools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** Descriptions of embedded core types come from the Kubernetes OpenAPI; Baton's stay. */
class CoreTypeDescriptionsTest {

  /** A tiny OpenAPI v3 document in the shape Kubernetes writes (allOf refs, items, maps). */
  private static final String OPENAPI = """
      {"components": {"schemas": {
        "io.k8s.api.core.v1.EnvVar": {"description": "An environment variable.",
          "properties": {
            "name": {"description": "Name of the variable.", "type": "string"},
            "valueFrom": {"allOf": [{"$ref": "#/components/schemas/io.k8s.api.core.v1.EnvVarSource"}],
                          "description": "Source for the value."}}},
        "io.k8s.api.core.v1.EnvVarSource": {"description": "A source.",
          "properties": {
            "secretKeyRef": {"allOf": [{"$ref": "#/components/schemas/io.k8s.api.core.v1.SecretKeySelector"}],
                             "description": "A key of a Secret."},
            "refs": {"type": "array", "description": "Several.",
                     "items": {"allOf": [{"$ref": "#/components/schemas/io.k8s.api.core.v1.SecretKeySelector"}]}},
            "byName": {"type": "object", "description": "By name.",
                       "additionalProperties": {"allOf": [{"$ref": "#/components/schemas/io.k8s.api.core.v1.SecretKeySelector"}]}}}},
        "io.k8s.api.core.v1.SecretKeySelector": {"description": "Selects a key.",
          "properties": {"key": {"description": "The key.", "type": "string"}}},
        "io.k8s.api.core.v1.PodTemplateSpec": {"properties": {}},
        "io.k8s.apimachinery.pkg.apis.meta.v1.Condition": {"properties": {}}
      }}}""";

  private static final String CRD_SCHEMA = """
      {"type": "object", "properties": {
        "spec": {"type": "object", "properties": {
          "database": {"type": "object", "properties": {"migration": {"type": "object", "properties": {
            "expand": {"type": "object", "description": "Baton's own words.", "properties": {
              "env": {"type": "array", "description": "Env of the expand Job.", "items": {"type": "object", "properties": {
                "name": {"type": "string", "description": "Baton's own name text."},
                "valueFrom": {"type": "object", "properties": {
                  "secretKeyRef": {"type": "object", "properties": {"key": {"type": "string"}}},
                  "refs": {"type": "array", "items": {"type": "object", "properties": {"key": {"type": "string"}}}},
                  "byName": {"type": "object", "additionalProperties": {"type": "object", "properties": {"key": {"type": "string"}}}}
                }}}}}}}}}}}}}}}""";

  @Test
  void fillsWhatTheGeneratorLeftEmptyAndKeepsBatonsOwn() throws Exception {
    JSONSchemaProps root = new KubernetesSerialization().unmarshal(CRD_SCHEMA, JSONSchemaProps.class);
    new CoreTypeDescriptions(new KubernetesOpenApi(new ObjectMapper().readTree(OPENAPI)))
        .describe(root);

    JSONSchemaProps expand = root.getProperties().get("spec").getProperties().get("database")
        .getProperties().get("migration").getProperties().get("expand");
    assertThat(expand.getDescription()).isEqualTo("Baton's own words.");
    JSONSchemaProps env = expand.getProperties().get("env");
    assertThat(env.getDescription()).isEqualTo("Env of the expand Job.");
    JSONSchemaProps item = env.getItems().getSchema();
    assertThat(item.getDescription()).isEqualTo("An environment variable.");
    assertThat(item.getProperties().get("name").getDescription())
        .isEqualTo("Baton's own name text.");
    JSONSchemaProps valueFrom = item.getProperties().get("valueFrom");
    assertThat(valueFrom.getDescription()).isEqualTo("Source for the value.");
    assertThat(valueFrom.getProperties().get("secretKeyRef").getDescription())
        .isEqualTo("A key of a Secret.");
    assertThat(valueFrom.getProperties().get("secretKeyRef").getProperties().get("key")
        .getDescription()).isEqualTo("The key.");
    assertThat(valueFrom.getProperties().get("refs").getItems().getSchema().getProperties()
        .get("key").getDescription()).isEqualTo("The key.");
    assertThat(valueFrom.getProperties().get("byName").getAdditionalProperties().getSchema()
        .getProperties().get("key").getDescription()).isEqualTo("The key.");
  }

  @Test
  void firstSentenceStopsAtTheFirstPeriodThatEndsASentence() {
    assertThat(CoreTypeDescriptions.firstSentence(
        "Name of the port, e.g. http. Must be unique.\nMore info: https://example.org/a.b"))
        .isEqualTo("Name of the port, e.g. http.");
    assertThat(CoreTypeDescriptions.firstSentence("Version 1.2 of it.")).isEqualTo("Version 1.2 of it.");
    assertThat(CoreTypeDescriptions.firstSentence("No period")).isEqualTo("No period");
  }
}
