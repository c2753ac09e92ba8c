package dev.baton.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.CredentialsRef;
import dev.baton.api.v1alpha1.DatabaseSpec;
import dev.baton.api.v1alpha1.NotificationsSpec;
import dev.baton.api.v1alpha1.WebhookSpec;
import dev.baton.bluegreen.Apps;
import dev.baton.planning.BlueGreenPlanner;
import dev.baton.testcluster.SecretLeakScanner;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import dev.baton.testcluster.WithOperator;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A BatonApp cannot make Baton read outside its namespace: a name with a namespace in it, or a pod
 * template naming another namespace, is rejected by the API server with the field; a Secret of the
 * same name in another namespace is not found (InvalidSpec), and nothing is deployed.
 */
@ExtendWith({TestClusterExtension.class, WithOperator.class})
class NamespaceBoundaryIT {

  @Test
  void referencesOutOfTheNamespaceAreRejectedByTheApiServer(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp template = Apps.example(client, "tpl");
    template.getSpec().template.getMetadata().setNamespace("kube-system");
    assertRejected(client, template, "spec.template.metadata.namespace",
        "pods always run in the app's own namespace");

    BatonApp credentials = Apps.example(client, "creds");
    credentials.getSpec().database = new DatabaseSpec();
    credentials.getSpec().database.credentialsSecretRef = new CredentialsRef();
    credentials.getSpec().database.credentialsSecretRef.name = "kube-system/admin";
    assertRejected(client, credentials, "spec.database.credentialsSecretRef.name", "should match");

    BatonApp hook = Apps.example(client, "hook");
    hook.getSpec().notifications = new NotificationsSpec();
    hook.getSpec().notifications.webhook = new WebhookSpec();
    hook.getSpec().notifications.webhook.urlFrom = new WebhookSpec.UrlSource();
    hook.getSpec().notifications.webhook.urlFrom.secretKeyRef =
        new SecretKeySelector("url", null, false);
    assertRejected(client, hook, "spec.notifications.webhook.urlFrom.secretKeyRef",
        "a Secret in the app's namespace");
  }

  @Test
  void aSecretOfTheSameNameInAnotherNamespaceIsNotRead(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    String other = cluster.namespace() + "-other";
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(other)
        .addToLabels("baton.dev/test", "true").endMetadata().build()).create();
    try {
      client.secrets().inNamespace(other).resource(new SecretBuilder().withNewMetadata()
          .withName("shop-db").endMetadata().addToStringData("username", "shop")
          .addToStringData("password", SecretLeakScanner.token("other-namespace-password"))
          .build()).create();
      BatonApp app = Apps.example(client, "shop");
      app.getSpec().database = new DatabaseSpec();
      app.getSpec().database.credentialsSecretRef = new CredentialsRef();
      app.getSpec().database.credentialsSecretRef.name = "shop-db";
      client.resource(app).create();
      BatonApp invalid = Apps.awaitStatus(client, "shop", a -> Apps.condition(a,
          BlueGreenPlanner.INVALID_SPEC).map(c -> "True".equals(c.getStatus())).orElse(false));
      assertThat(Apps.condition(invalid, BlueGreenPlanner.INVALID_SPEC).orElseThrow()
          .getMessage()).contains("spec.database.credentialsSecretRef")
          .contains("does not exist in namespace " + cluster.namespace());
      assertThat(Apps.deploymentsOf(client, "shop")).isEmpty();
    } finally {
      client.namespaces().withName(other).delete();
    }
  }

  private static void assertRejected(KubernetesClient client, BatonApp app, String field,
      String why) {
    assertThatThrownBy(() -> client.resource(app).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining(field).hasMessageContaining(why);
  }
}
