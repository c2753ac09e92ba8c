package dev.baton.testcluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** Reads files of the repository (examples, CRDs) as Kubernetes objects. */
public final class ClusterFiles {

  private ClusterFiles() {}

  /** Parses a YAML file, given relative to the repository's top directory. */
  public static <T> T load(KubernetesClient client, String relativePath, Class<T> type) {
    try {
      String yaml = Files.readString(ClusterProcess.repoRoot().resolve(relativePath));
      return client.getKubernetesSerialization().unmarshal(yaml, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
