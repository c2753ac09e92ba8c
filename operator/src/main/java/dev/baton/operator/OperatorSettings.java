package dev.baton.operator;

import dev.baton.api.v1alpha1.WebhookSpec;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's process-wide settings, read once from the environment at start-up.
 *
 * @param httpAddress where {@code /healthz}, {@code /readyz} and {@code /metrics} are served
 * @param watchNamespaces the namespaces to watch; empty means every namespace
 * @param reconcileThreads how many BatonApps may be reconciled at once
 * @param leaderElection the Lease to hold before reconciling, if leader election is on
 * @param webhook a webhook notified of every app's rollouts, if configured
 * @param shards how many shards the apps are split into (1: no sharding); more than one needs
 *     the leader-election namespace, where the shards' Leases live
 */
public record OperatorSettings(
    InetSocketAddress httpAddress, Set<String> watchNamespaces, int reconcileThreads,
    Optional<LeaseName> leaderElection, Optional<WebhookSpec> webhook, int shards) {

  public OperatorSettings {
    if (shards < 1) {
      throw new IllegalArgumentException("BATON_SHARDS must be 1 or more, got " + shards);
    }
    if (shards > 1 && leaderElection.isEmpty()) {
      throw new IllegalArgumentException("BATON_SHARDS=" + shards + " needs"
          + " BATON_LEADER_ELECTION_NAMESPACE: the shards' Leases live there");
    }
  }

  /**
   * Where the leader-election Lease lives.
   *
   * @param namespace the Lease's namespace (the operator's own)
   * @param name the Lease's name
   */
  public record LeaseName(String namespace, String name) {}

  /** Settings without leader election, e.g. for tests. */
  public OperatorSettings(InetSocketAddress httpAddress, Set<String> watchNamespaces,
      int reconcileThreads) {
    this(httpAddress, watchNamespaces, reconcileThreads, Optional.empty(), Optional.empty(), 1);
  }

  /**
   * Reads {@code BATON_HTTP_ADDRESS}, {@code BATON_WATCH_NAMESPACES},
   * {@code BATON_RECONCILE_THREADS} and, for leader election, {@code BATON_LEADER_ELECTION_NAMESPACE}
   * and {@code BATON_LEADER_ELECTION_LEASE} (default {@code baton}), and for an operator-wide
   * webhook {@code BATON_WEBHOOK_URL} and {@code BATON_WEBHOOK_FORMAT} ({@code json} or
   * {@code slack}), and {@code BATON_SHARDS} (default 1).
   */
  public static OperatorSettings fromEnvironment(Map<String, String> env) {
    Optional<LeaseName> lease = Optional.ofNullable(env.get("BATON_LEADER_ELECTION_NAMESPACE"))
        .filter(ns -> !ns.isBlank())
        .map(ns -> new LeaseName(ns, env.getOrDefault("BATON_LEADER_ELECTION_LEASE", "baton")));
    return new OperatorSettings(
        parseAddress(env.getOrDefault("BATON_HTTP_ADDRESS", "0.0.0.0:8080")),
        Arrays.stream(env.getOrDefault("BATON_WATCH_NAMESPACES", "").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet()),
        Integer.parseInt(env.getOrDefault("BATON_RECONCILE_THREADS", "20")),
        lease,
        Optional.ofNullable(env.get("BATON_WEBHOOK_URL")).filter(u -> !u.isBlank()).map(url -> {
          WebhookSpec hook = new WebhookSpec();
          hook.url = url;
          hook.format = WebhookSpec.Format.valueOf(env.getOrDefault("BATON_WEBHOOK_FORMAT", "json"));
          return hook;
        }),
        Integer.parseInt(env.getOrDefault("BATON_SHARDS", "1").trim()));
  }

  static InetSocketAddress parseAddress(String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "BATON_HTTP_ADDRESS must be host:port (e.g. 0.0.0.0:8080), got '" + value + "'");
    }
    String host = value.substring(0, colon);
    int port = Integer.parseInt(value.substring(colon + 1));
    return new InetSocketAddress(host.isEmpty() ? "0.0.0.0" : host, port);
  }
}
