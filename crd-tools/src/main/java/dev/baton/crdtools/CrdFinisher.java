package dev.baton.crdtools;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * Finishes the CRD the Fabric8 generator writes, for what its annotations cannot say: printer
 * columns in the order users read them (the generator sorts them by JSON path),
 * {@code status.conditions} as a list keyed by {@code type}, as the API conventions ask, and a
 * description on every field that comes from a Kubernetes core type (the pod template, env, ...),
 * taken from the Kubernetes OpenAPI (see {@link CoreTypeDescriptions}), so that
 * {@code kubectl explain} describes every field.
 *
 * <p>A build tool: the operator's build runs it at {@code process-classes}, right after the
 * generator, as {@code CrdFinisher <kubernetes version> <crd file>...} (BatonApp's CRD and the
 * analysis templates'). It is not part of the operator's jar.
 */
public final class CrdFinisher {

  /** The order of {@code kubectl get bapp}'s columns. */
  static final List<String> COLUMN_ORDER =
      List.of("Phase", "Active", "Preview", "Weight", "Ready", "Age");

  /** The top-level fields the generator leaves undescribed (they come from CustomResource). */
  static final String SPEC_DESCRIPTION =
      "What the app should be: its pod template, Service, release strategy and traffic.";
  static final String TEMPLATE_SPEC_DESCRIPTION =
      "The metrics this template provides to the analyses that name it, and their arguments.";
  static final String STATUS_DESCRIPTION =
      "What Baton observed and did: the live and preview revisions, the phase, conditions and "
          + "history. Written by Baton only.";

  private CrdFinisher() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length < 2) {
      System.err.println("usage: CrdFinisher <kubernetes version> <crd file>...");
      System.exit(2);
    }
    KubernetesOpenApi kubernetes = KubernetesOpenApi.fromGoModule(args[0]);
    KubernetesSerialization yaml = new KubernetesSerialization();
    for (int i = 1; i < args.length; i++) {
      Path file = Path.of(args[i]);
      CustomResourceDefinition crd =
          yaml.unmarshal(Files.readString(file), CustomResourceDefinition.class);
      finish(crd, kubernetes);
      Files.writeString(file, yaml.asYaml(crd));
    }
  }

  static void finish(CustomResourceDefinition crd, KubernetesOpenApi kubernetes) {
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      version.getAdditionalPrinterColumns().sort(Comparator.comparingInt(
          (CustomResourceColumnDefinition c) -> order(c.getName())));
      JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
      JSONSchemaProps status = root.getProperties().get("status");
      JSONSchemaProps conditions = status == null || status.getProperties() == null ? null
          : status.getProperties().get("conditions");
      if (conditions != null) {
        conditions.setXKubernetesListType("map");
        conditions.setXKubernetesListMapKeys(List.of("type"));
        JSONSchemaProps item = conditions.getItems().getSchema();
        item.setRequired(List.of("type", "status"));
      }

      boolean template = crd.getSpec().getNames().getKind().endsWith("AnalysisTemplate");
      describeIfMissing(root.getProperties().get("spec"),
          template ? TEMPLATE_SPEC_DESCRIPTION : SPEC_DESCRIPTION);
      describeIfMissing(status, STATUS_DESCRIPTION);
      new CoreTypeDescriptions(kubernetes).describe(root);
    }
  }

  private static void describeIfMissing(JSONSchemaProps field, String description) {
    if (field != null && (field.getDescription() == null || field.getDescription().isBlank())) {
      field.setDescription(description);
    }
  }

  private static int order(String column) {
    int i = COLUMN_ORDER.indexOf(column);
    return i < 0 ? COLUMN_ORDER.size() : i;
  }
}
