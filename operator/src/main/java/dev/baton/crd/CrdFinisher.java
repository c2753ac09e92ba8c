package dev.baton.crd;

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
 * columns in the order users read them (the generator sorts them by JSON path), and
 * {@code status.conditions} as a list keyed by {@code type}, as the API conventions ask.
 *
 * <p>Run by the build at {@code process-classes}, right after the generator, on the file given as
 * the only argument.
 */
public final class CrdFinisher {

  /** The order of {@code kubectl get bapp}'s columns. */
  static final List<String> COLUMN_ORDER =
      List.of("Phase", "Active", "Preview", "Weight", "Ready", "Age");

  private CrdFinisher() {}

  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    KubernetesSerialization yaml = new KubernetesSerialization();
    CustomResourceDefinition crd =
        yaml.unmarshal(Files.readString(file), CustomResourceDefinition.class);
    finish(crd);
    Files.writeString(file, yaml.asYaml(crd));
  }

  static void finish(CustomResourceDefinition crd) {
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      version.getAdditionalPrinterColumns().sort(Comparator.comparingInt(
          (CustomResourceColumnDefinition c) -> order(c.getName())));
      JSONSchemaProps status = version.getSchema().getOpenAPIV3Schema()
          .getProperties().get("status");
      JSONSchemaProps conditions = status.getProperties().get("conditions");
      conditions.setXKubernetesListType("map");
      conditions.setXKubernetesListMapKeys(List.of("type"));
      JSONSchemaProps item = conditions.getItems().getSchema();
      item.setRequired(List.of("type", "status"));
    }
  }

  private static int order(String column) {
    int i = COLUMN_ORDER.indexOf(column);
    return i < 0 ? COLUMN_ORDER.size() : i;
  }
}
