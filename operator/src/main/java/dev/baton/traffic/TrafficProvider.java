package dev.baton.traffic;

import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.planning.AppSettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.Optional;

/**
 * One ingress implementation Baton sets weights on. Implementations are pure: they build the
 * objects to apply and read weights back from objects the caller found in its caches; the
 * operator applies and deletes. Every object carries the {@code baton.dev/app} label.
 *
 * <p>Traffic always goes to two stable Services: {@code <app>} (the live version) and
 * {@code <app>-preview} (the new one). A weight is the percent sent to the preview Service.
 */
public interface TrafficProvider {

  /** Which provider this is. */
  IngressSpec.Provider provider();

  /**
   * The objects that route {@code weight} percent of the app's traffic to the preview Service.
   *
   * @param stored this provider's objects of the app as stored now; what others added to them
   *     (rules, routes, filters in lists the API treats as one value) is carried over, so a Baton
   *     write never strips it
   */
  List<HasMetadata> desired(AppSettings app, OwnerReference owner, int weight,
      List<HasMetadata> stored);

  /** The weight the stored objects hold, if they are complete and confirmed. */
  ReadBack readBack(AppSettings app, List<HasMetadata> stored);

  /**
   * A weight read back.
   *
   * @param weight percent to the preview Service, when complete and confirmed
   * @param pending why it is not (yet), for messages
   */
  record ReadBack(Optional<Integer> weight, String pending) {
    public static ReadBack confirmed(int weight) {
      return new ReadBack(Optional.of(weight), "");
    }

    public static ReadBack pending(String why) {
      return new ReadBack(Optional.empty(), why);
    }
  }
}
