package dev.baton.shard;

import dev.baton.observe.PruningStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The BatonApp cache of one shard: apps of the shard whole, every other app as a placeholder
 * that keeps only its name, namespace, labels, UID and resourceVersion, so the shard's memory is
 * that of its own apps.
 *
 * <p>Why a placeholder rather than nothing: the informer's cache indexes every object it puts
 * (by namespace, at least) and cleans an index entry on delete only when the store returned an
 * object for it. A store that dropped foreign apps would leave their index entries behind
 * forever. A placeholder has no spec, which every reader of the primary cache already skips,
 * and the reconciler does not reconcile apps its scope does not own.
 */
public final class ForeignPlaceholderStore {

  private ForeignPlaceholderStore() {}

  /**
   * @param owned whether an object belongs to this shard
   * @param empty makes an empty object of the kind, to hold a placeholder's metadata
   */
  public static <T extends HasMetadata> PruningStore<T> of(Predicate<T> owned, Supplier<T> empty) {
    return PruningStore.of(object -> owned.test(object) ? object : placeholder(object, empty));
  }

  private static <T extends HasMetadata> T placeholder(T object, Supplier<T> empty) {
    ObjectMeta from = object.getMetadata();
    ObjectMeta meta = new ObjectMeta();
    meta.setName(from.getName());
    meta.setNamespace(from.getNamespace());
    meta.setLabels(from.getLabels());
    meta.setResourceVersion(from.getResourceVersion());
    meta.setUid(from.getUid());
    T kept = empty.get();
    kept.setMetadata(meta);
    return kept;
  }
}
