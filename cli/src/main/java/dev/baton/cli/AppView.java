package dev.baton.cli;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.ObjectLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * Everything {@code kubectl baton get} shows of one app, read at one moment: the app, its
 * Deployments (one per version), its two Services and its pods.
 */
public record AppView(BatonApp app, List<Deployment> deployments, List<Service> services,
    List<Pod> pods) {

  /** Reads the app's objects by the {@code baton.dev/app} label Baton puts on all of them. */
  static AppView read(KubernetesClient client, String namespace, BatonApp app) {
    String name = app.getMetadata().getName();
    return new AppView(app,
        client.apps().deployments().inNamespace(namespace).withLabel(ObjectLabels.APP, name).list()
            .getItems(),
        client.services().inNamespace(namespace).withLabel(ObjectLabels.APP, name).list().getItems(),
        client.pods().inNamespace(namespace).withLabel(ObjectLabels.APP, name).list().getItems());
  }
}
