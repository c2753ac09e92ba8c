package dev.baton.cli;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.ObjectLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@code get --watch}: informers on the app and on its Deployments, Services and pods (only those
 * with its {@code baton.dev/app} label); every change re-renders the tree from their caches. The
 * API server pushes changes, so nothing is polled. Runs until the thread is interrupted or the app
 * is deleted.
 */
final class AppWatch implements AutoCloseable {

  private final String name;
  private final SharedIndexInformer<BatonApp> app;
  private final SharedIndexInformer<Deployment> deployments;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<Pod> pods;
  private final LinkedBlockingQueue<Boolean> changes = new LinkedBlockingQueue<>();

  AppWatch(KubernetesClient client, String namespace, String name) {
    this.name = name;
    ResourceEventHandler<HasMetadata> onChange = new ResourceEventHandler<>() {
      @Override
      public void onAdd(HasMetadata obj) {
        changes.offer(true);
      }

      @Override
      public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
        changes.offer(true);
      }

      @Override
      public void onDelete(HasMetadata obj, boolean finalStateUnknown) {
        changes.offer(true);
      }
    };
    this.app = client.resources(BatonApp.class).inNamespace(namespace).withName(name)
        .inform(handler(onChange));
    this.deployments = client.apps().deployments().inNamespace(namespace)
        .withLabel(ObjectLabels.APP, name).inform(handler(onChange));
    this.services = client.services().inNamespace(namespace).withLabel(ObjectLabels.APP, name)
        .inform(handler(onChange));
    this.pods = client.pods().inNamespace(namespace).withLabel(ObjectLabels.APP, name)
        .inform(handler(onChange));
  }

  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata> ResourceEventHandler<T> handler(
      ResourceEventHandler<HasMetadata> h) {
    return (ResourceEventHandler<T>) (ResourceEventHandler<?>) h;
  }

  /** Prints the tree now and after every change; on a terminal, each print replaces the last. */
  void run(PrintWriter out, boolean clearScreen) {
    String last = null;
    try {
      while (true) {
        List<BatonApp> apps = app.getStore().list();
        if (apps.isEmpty()) {
          out.println("batonapp \"" + name + "\" was deleted");
          out.flush();
          return;
        }
        String text = AppTree.render(new AppView(apps.get(0),
            new ArrayList<>(deployments.getStore().list()),
            new ArrayList<>(services.getStore().list()),
            new ArrayList<>(pods.getStore().list())), Instant.now());
        if (!text.equals(last)) {
          out.print(clearScreen ? "\033[H\033[2J" : last == null ? "" : "\n");
          out.print(text);
          out.flush();
          last = text;
        }
        changes.take();
        // A rollout changes several objects at once: let the burst settle, print once.
        Thread.sleep(100);
        changes.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    app.close();
    deployments.close();
    services.close();
    pods.close();
  }

}
