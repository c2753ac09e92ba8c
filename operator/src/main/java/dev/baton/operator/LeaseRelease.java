package dev.baton.operator;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the leader-election Lease up on a graceful shutdown. JOSDK stops leading without
 * releasing it, so a standby would wait for the lease to expire; an empty holder lets it take
 * over at its next retry (about 2 s) instead.
 */
final class LeaseRelease {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseRelease.class);

  private LeaseRelease() {}

  static void release(KubernetesClient client, OperatorSettings.LeaseName name, String identity) {
    try {
      var resource = client.resources(Lease.class).inNamespace(name.namespace())
          .withName(name.name());
      Lease lease = resource.get();
      if (lease == null || lease.getSpec() == null
          || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      // An update (not a patch): it fails on a conflict, so a Lease someone else took meanwhile
      // is never cleared.
      lease.getSpec().setHolderIdentity("");
      lease.getSpec().setLeaseDurationSeconds(1);
      client.resource(lease).update();
      LOG.info("Released the leader-election Lease {}/{}", name.namespace(), name.name());
    } catch (KubernetesClientException e) {
      LOG.warn("Could not release the Lease {}/{}: {}", name.namespace(), name.name(),
          e.getMessage());
    }
  }
}
