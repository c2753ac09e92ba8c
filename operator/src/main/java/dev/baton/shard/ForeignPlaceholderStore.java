package dev.baton.shard;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The BatonApp cache of one shard: apps of the shard whole, every other app as a placeholder
 * that keeps only its name, namespace, labels and resourceVersion, so the shard's memory is
 * that of its own apps.
 *
 * <p>Why a placeholder rather than nothing: the informer's cache indexes every object it puts
 * (by namespace, at least) and cleans an index entry on delete only when the store returned an
 * object for it. A store that dropped foreign apps would leave their index entries behind
 * forever. A placeholder has no spec, which every reader of the primary cache already skips,
 * and the reconciler does not reconcile apps its scope does not own.
 */
public final class ForeignPlaceholderStore<T extends HasMetadata> implements ItemStore<T> {

  private final ItemStore<T> delegate;
  private final Predicate<T> owned;
  private final Supplier<T> empty;

  /**
   * @param delegate where objects are kept
   * @param owned whether an object belongs to this shard
   * @param empty makes an empty object of the kind, to hold a placeholder's metadata
   */
  public ForeignPlaceholderStore(ItemStore<T> delegate, Predicate<T> owned, Supplier<T> empty) {
    this.delegate = delegate;
    this.owned = owned;
    this.empty = empty;
  }

  @Override
  public String getKey(T object) {
    return delegate.getKey(object);
  }

  @Override
  public T put(String key, T object) {
    return delegate.put(key, owned.test(object) ? object : placeholder(object));
  }

  private T placeholder(T object) {
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

  @Override
  public T remove(String key) {
    return delegate.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return delegate.keySet();
  }

  @Override
  public Stream<T> values() {
    return delegate.values();
  }

  @Override
  public int size() {
    return delegate.size();
  }

  @Override
  public T get(String key) {
    return delegate.get(key);
  }
}
