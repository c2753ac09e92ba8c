package dev.baton.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * kubectl's connection flags. kubectl hands a plugin every argument untouched, so the plugin parses
 * {@code -n}, {@code --context} and {@code --kubeconfig} itself, before or after the subcommand
 * (the options are inherited by every subcommand). Without flags it uses what kubectl would: the
 * {@code KUBECONFIG} variable or {@code ~/.kube/config}, its current context and that context's
 * namespace.
 */
public final class KubeOptions {

  @Option(names = {"-n", "--namespace"}, scope = ScopeType.INHERIT, paramLabel = "NAMESPACE",
      description = "Namespace of the BatonApp (default: the context's namespace, else default).")
  String namespace;

  @Option(names = "--context", scope = ScopeType.INHERIT, paramLabel = "CONTEXT",
      description = "kubeconfig context to use (default: the current context).")
  String context;

  @Option(names = "--kubeconfig", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "kubeconfig file to use (default: $KUBECONFIG, else ~/.kube/config).")
  Path kubeconfig;

  /** A client for the chosen cluster and the namespace to work in. */
  public record Connection(KubernetesClient client, String namespace) implements AutoCloseable {
    @Override
    public void close() {
      client.close();
    }
  }

  /** Connects as kubectl would with the same flags. */
  public Connection connect() {
    Config config = config();
    String ns = namespace != null ? namespace
        : config.getNamespace() != null ? config.getNamespace() : "default";
    config.setNamespace(ns);
    return new Connection(new KubernetesClientBuilder().withConfig(config).build(), ns);
  }

  private Config config() {
    if (kubeconfig == null) {
      Config config = Config.autoConfigure(context);
      requireContext(config);
      return config;
    }
    if (!Files.isReadable(kubeconfig)) {
      throw new CliException("cannot read the kubeconfig file " + kubeconfig,
          "check the path given to --kubeconfig");
    }
    try {
      Config config = Config.fromKubeconfig(context, Files.readString(kubeconfig),
          kubeconfig.toString());
      requireContext(config);
      return config;
    } catch (IOException e) {
      throw new CliException("cannot read the kubeconfig file " + kubeconfig + ": "
          + e.getMessage());
    } catch (CliException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CliException("cannot use the kubeconfig file " + kubeconfig + ": "
          + e.getMessage());
    }
  }

  /** Fabric8 falls back to the current context for an unknown name; kubectl refuses it. */
  private void requireContext(Config config) {
    if (context == null) {
      return;
    }
    boolean known = config.getContexts() != null && config.getContexts().stream()
        .anyMatch(c -> context.equals(c.getName()));
    if (!known) {
      throw new CliException("context \"" + context + "\" does not exist in the kubeconfig",
          "list the contexts with: kubectl config get-contexts");
    }
  }
}
