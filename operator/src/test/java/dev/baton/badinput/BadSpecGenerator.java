package dev.baton.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A seeded source of bad BatonApp specs: an example from {@code examples/} with one mutation,
 * chosen by the CRD's schema (wrong types, numbers out of their range, unknown enum values,
 * strings and lists over their limits), or one of the mistakes the schema cannot see (two
 * strategies, Baton's own labels, references to ConfigMaps and Secrets that do not exist, names
 * that step out of the namespace). The same seed gives the same specs. Specs are JSON trees, not
 * the typed model, so that a wrong type can be sent at all.
 */
final class BadSpecGenerator {

  /** One bad spec: what was done, and the spec to send. */
  record BadSpec(String kind, String what, ObjectNode spec) {}

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final List<String> KINDS = List.of("wrongType", "outOfRange", "unknownEnum",
      "hugeString", "hugeList", "twoStrategies", "batonLabel", "missingConfigMap",
      "missingSecret", "missingCredentials", "otherNamespace", "badName", "badLabelValue");

  private final Random random;
  private final List<ObjectNode> examples;
  /** Every field of the spec schema with its path, e.g. spec.strategy.canary.steps[]. */
  private final List<Field> fields = new ArrayList<>();

  private record Field(List<String> path, JSONSchemaProps schema) {}

  BadSpecGenerator(Path repoRoot, long seed) {
    this.random = new Random(seed);
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    try (Stream<Path> files = Files.list(repoRoot.resolve("examples"))) {
      examples = new ArrayList<>();
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        // An example may hold other kinds beside its BatonApp (an analysis template). An app
        // that declares analysis names templates the test namespace does not have, so it is
        // InvalidSpec whatever the mutation, which would hide what a mutation does: only apps
        // without analysis are bases.
        try (MappingIterator<JsonNode> docs = yaml.readValues(yaml.createParser(f.toFile()),
            JsonNode.class)) {
          for (JsonNode doc : docs.readAll()) {
            if ("BatonApp".equals(doc.path("kind").asText())
                && !doc.get("spec").toString().contains("analysis")) {
              examples.add((ObjectNode) doc.get("spec"));
            }
          }
        }
      }
      CustomResourceDefinition crd = new KubernetesSerialization().unmarshal(
          Files.readString(repoRoot.resolve("crds/batonapps.baton.dev-v1.yml")),
          CustomResourceDefinition.class);
      collect(new ArrayList<>(), crd.getSpec().getVersions().get(0).getSchema()
          .getOpenAPIV3Schema().getProperties().get("spec"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A valid spec to start from (the first example, blue/green with provider none). */
  ObjectNode healthyBase() {
    return examples.get(0).deepCopy();
  }

  BadSpec next() {
    String kind = KINDS.get(random.nextInt(KINDS.size()));
    ObjectNode spec = examples.get(random.nextInt(examples.size())).deepCopy();
    String what = switch (kind) {
      case "wrongType" -> {
        Field f = pick(x -> x.schema.getType() != null);
        yield set(spec, f, wrongType(f.schema));
      }
      case "outOfRange" -> {
        Field f = pick(x -> x.schema.getMinimum() != null || x.schema.getMaximum() != null);
        boolean above = f.schema.getMinimum() == null
            || f.schema.getMaximum() != null && random.nextBoolean();
        yield set(spec, f, JSON.numberNode(above
            ? f.schema.getMaximum().longValue() + 1 + random.nextInt(1000)
            : f.schema.getMinimum().longValue() - 1 - random.nextInt(1000)));
      }
      case "unknownEnum" -> {
        Field f = pick(x -> x.schema.getEnum() != null && !x.schema.getEnum().isEmpty());
        yield set(spec, f, JSON.textNode("bogus" + random.nextInt(100)));
      }
      case "hugeString" -> {
        Field f = pick(x -> x.schema.getMaxLength() != null);
        yield set(spec, f, JSON.textNode("a".repeat(f.schema.getMaxLength().intValue() + 1
            + random.nextInt(5000))));
      }
      case "hugeList" -> {
        Field f = pick(x -> x.schema.getMaxItems() != null);
        ArrayNode list = JSON.arrayNode();
        JsonNode item = sample(f.schema.getItems().getSchema());
        for (int i = 0; i <= f.schema.getMaxItems() + random.nextInt(50); i++) {
          list.add(item.deepCopy());
        }
        yield set(spec, f, list);
      }
      case "twoStrategies" -> {
        ObjectNode strategy = JSON.objectNode();
        strategy.putObject("blueGreen");
        strategy.putObject("canary").putArray("steps").addObject().put("setWeight", 50);
        if (random.nextBoolean()) {
          strategy.putObject("rolling");
        }
        spec.set("strategy", strategy);
        yield "strategy: blueGreen and canary";
      }
      case "batonLabel" -> {
        String key = "baton.dev/" + List.of("revision", "app", "hash", "x").get(random.nextInt(4));
        labels(spec).put(key, "mine");
        yield "template label " + key;
      }
      case "missingConfigMap" -> {
        container(spec).withArray("envFrom").addObject().putObject("configMapRef")
            .put("name", "absent-config-" + random.nextInt(1000));
        yield "envFrom a ConfigMap that does not exist";
      }
      case "missingSecret" -> {
        ObjectNode env = container(spec).withArray("env").addObject().put("name", "TOKEN");
        env.putObject("valueFrom").putObject("secretKeyRef")
            .put("name", "absent-secret-" + random.nextInt(1000)).put("key", "token");
        yield "env from a Secret that does not exist";
      }
      case "missingCredentials" -> {
        ObjectNode db = spec.has("database") ? (ObjectNode) spec.get("database")
            : spec.putObject("database");
        db.putObject("credentialsSecretRef").put("name", "absent-db-" + random.nextInt(1000));
        if (!db.has("primary")) {
          db.putObject("primary").put("host", "db.example.com").put("port", 5432);
        }
        yield "database credentials in a Secret that does not exist";
      }
      case "otherNamespace" -> {
        if (random.nextBoolean()) {
          ((ObjectNode) spec.get("template")).withObject("metadata").put("namespace", "kube-system");
          yield "template.metadata.namespace kube-system";
        }
        spec.withObject("database").putObject("credentialsSecretRef").put("name",
            "kube-system/admin");
        yield "credentials Secret kube-system/admin";
      }
      case "badName" -> {
        container(spec).put("name", "Not_A_DNS_Label");
        yield "container name Not_A_DNS_Label";
      }
      default -> {
        labels(spec).put("tier", "x".repeat(64 + random.nextInt(100)));
        yield "template label value over 63 characters";
      }
    };
    return new BadSpec(kind, what, spec);
  }

  private Field pick(Predicate<Field> suitable) {
    List<Field> candidates = fields.stream().filter(suitable).toList();
    return candidates.get(random.nextInt(candidates.size()));
  }

  private JsonNode wrongType(JSONSchemaProps s) {
    return switch (s.getType()) {
      case "integer", "number" -> JSON.textNode("ten");
      case "boolean" -> JSON.textNode("yes");
      case "string" -> random.nextBoolean() ? JSON.numberNode(42) : JSON.arrayNode().add("a");
      case "array" -> JSON.objectNode().put("a", 1);
      default -> JSON.textNode("not an object");
    };
  }

  /** A minimal value of a schema, for list items. */
  private static JsonNode sample(JSONSchemaProps s) {
    if (s == null || s.getType() == null) {
      return JSON.objectNode();
    }
    return switch (s.getType()) {
      case "integer", "number" -> JSON.numberNode(1);
      case "boolean" -> JSON.booleanNode(true);
      case "string" -> JSON.textNode("/x");
      case "array" -> JSON.arrayNode();
      default -> {
        ObjectNode o = JSON.objectNode();
        if (s.getRequired() != null && s.getProperties() != null) {
          s.getRequired().forEach(r -> o.set(r, sample(s.getProperties().get(r))));
        }
        yield o;
      }
    };
  }

  /** Sets a field, creating the objects (and first list items) on the way. */
  private static String set(ObjectNode spec, Field f, JsonNode value) {
    JsonNode node = spec;
    List<String> path = f.path;
    for (int i = 0; i < path.size() - 1; i++) {
      String step = path.get(i);
      boolean list = step.endsWith("[]");
      String name = list ? step.substring(0, step.length() - 2) : step;
      ObjectNode parent = (ObjectNode) node;
      if (list) {
        ArrayNode array = parent.get(name) instanceof ArrayNode a ? a : parent.putArray(name);
        if (array.isEmpty() || !(array.get(0) instanceof ObjectNode)) {
          array.removeAll();
          array.addObject();
        }
        node = array.get(0);
      } else {
        node = parent.get(name) instanceof ObjectNode o ? o : parent.putObject(name);
      }
    }
    String last = path.get(path.size() - 1);
    ((ObjectNode) node).set(last.replace("[]", ""), value);
    return "spec." + String.join(".", path) + " = " + abbreviate(value.toString());
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "...(" + s.length() + " chars)" : s;
  }

  private static ObjectNode container(ObjectNode spec) {
    return (ObjectNode) spec.get("template").get("spec").get("containers").get(0);
  }

  private static ObjectNode labels(ObjectNode spec) {
    return ((ObjectNode) spec.get("template")).withObject("metadata").withObject("labels");
  }

  private void collect(List<String> path, JSONSchemaProps node) {
    if (node.getProperties() == null) {
      return;
    }
    for (Map.Entry<String, JSONSchemaProps> e : node.getProperties().entrySet()) {
      // The pod template is Kubernetes' own type: mutate only what Baton reads of it, above.
      if (path.isEmpty() && e.getKey().equals("template")) {
        continue;
      }
      List<String> child = new ArrayList<>(path);
      JSONSchemaProps s = e.getValue();
      child.add(e.getKey());
      fields.add(new Field(List.copyOf(child), s));
      if (s.getItems() != null && s.getItems().getSchema() != null) {
        List<String> item = new ArrayList<>(path);
        item.add(e.getKey() + "[]");
        collect(item, s.getItems().getSchema());
      } else {
        collect(child, s);
      }
    }
  }
}
