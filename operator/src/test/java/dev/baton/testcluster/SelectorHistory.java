package dev.baton.testcluster;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every distinct value a Service's selector label takes, as a watch sees it: a rollout
 * switched once shows two values, a switch done twice (or back and forth) shows more.
 */
public final class SelectorHistory implements AutoCloseable {

  private final List<String> values = new CopyOnWriteArrayList<>();
  private final SharedIndexInformer<Service> informer;

  public SelectorHistory(KubernetesClient client, String service, String label) {
    this.informer = client.services().withName(service).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Service s) {
        record(s);
      }

      @Override
      public void onUpdate(Service before, Service after) {
        record(after);
      }

      @Override
      public void onDelete(Service s, boolean unknown) {}

      private void record(Service s) {
        String value = s.getSpec().getSelector().get(label);
        if (values.isEmpty() || !values.get(values.size() - 1).equals(value)) {
          values.add(value);
        }
      }
    });
  }

  public List<String> values() {
    return List.copyOf(values);
  }

  @Override
  public void close() {
    informer.close();
  }
}
