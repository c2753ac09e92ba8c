package dev.baton.cli;

import dev.baton.api.v1alpha1.BatonApp;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.ConnectException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads and annotates BatonApps, and turns the API server's errors into ones a person can act on
 * (an app that is not there, a cluster without Baton's CRD, a cluster that does not answer).
 */
public final class AppAccess {

  private final KubernetesClient client;
  private final String namespace;

  public AppAccess(KubeOptions.Connection connection) {
    this.client = connection.client();
    this.namespace = connection.namespace();
  }

  /** The app, or a "not found" error that says where we looked. */
  public BatonApp get(String name) {
    BatonApp app = call(name, () -> client.resources(BatonApp.class).inNamespace(namespace)
        .withName(name).get());
    if (app == null) {
      throw notFound(name);
    }
    return app;
  }

  /** The apps of the namespace, or of all namespaces. */
  public List<BatonApp> list(boolean allNamespaces) {
    return call(null, () -> allNamespaces
        ? client.resources(BatonApp.class).inAnyNamespace().list().getItems()
        : client.resources(BatonApp.class).inNamespace(namespace).list().getItems());
  }

  /**
   * Sets (or, for a null value, removes) annotations with a JSON merge patch: it carries no
   * resourceVersion, so it never conflicts with the operator writing status meanwhile.
   */
  public void annotate(String name, Map<String, String> annotations) {
    Map<String, Object> patch = Map.of("metadata", Map.of("annotations",
        new LinkedHashMap<String, Object>(annotations)));
    String json = client.getKubernetesSerialization().asJson(patch);
    call(name, () -> client.resources(BatonApp.class).inNamespace(namespace).withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), json));
  }

  public String namespace() {
    return namespace;
  }

  CliException notFound(String name) {
    return new CliException("batonapp \"" + name + "\" not found in namespace \"" + namespace
        + "\"", "list the apps with: kubectl baton list -n " + namespace
        + " (or kubectl baton list -A)");
  }

  /** Runs an API call, translating its failure. */
  <T> T call(String name, Supplier<T> request) {
    try {
      return request.get();
    } catch (KubernetesClientException e) {
      throw explain(e, name);
    }
  }

  private CliException explain(KubernetesClientException e, String name) {
    String server = client.getConfiguration().getMasterUrl();
    if (e.getCode() == 404) {
      boolean objectMissing = e.getStatus() != null && e.getStatus().getDetails() != null
          && name != null && name.equals(e.getStatus().getDetails().getName());
      if (objectMissing) {
        return notFound(name);
      }
      return new CliException("the cluster at " + server + " does not serve BatonApps ("
          + BatonApp.GROUP + "/" + BatonApp.VERSION + ")",
          "install Baton's CRD first (helm install baton helm/baton, or kubectl apply -f crds/)");
    }
    if (e.getCode() == 401) {
      return new CliException("the cluster at " + server + " did not accept our credentials",
          "check the user of your kubeconfig context (kubectl auth whoami)");
    }
    if (e.getCode() == 403) {
      return new CliException("forbidden: " + message(e),
          "ask for the permission, or check it with: kubectl auth can-i patch batonapps -n "
              + namespace);
    }
    if (e.getCode() == 0 && causedBy(e, ConnectException.class)) {
      return new CliException("cannot reach the cluster at " + server,
          "is it running? check the context with: kubectl config current-context");
    }
    return new CliException(message(e));
  }

  private static String message(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage();
    }
    return e.getMessage();
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
