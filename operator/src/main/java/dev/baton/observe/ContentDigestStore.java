package dev.baton.observe;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.Map;
import java.util.TreeMap;

/**
 * Informer stores ({@link PruningStore}s) for ConfigMaps and Secrets that keep a digest of each object's content
 * instead of the content: Baton only needs to know whether referenced content changed, and must
 * not hold every Secret of the cluster in its heap.
 *
 * <p>Each stored object has its name, namespace, uid and resourceVersion, and the digest in the
 * {@link #DIGEST} annotation; data, labels and the rest are dropped.
 */
public final class ContentDigestStore {

  /** The annotation of a stored object that holds its content digest. */
  static final String DIGEST = "baton.dev/content-digest";
  /** The annotation of a stored object that lists its keys (names only, never values). */
  static final String KEYS = "baton.dev/content-keys";

  private ContentDigestStore() {}

  public static PruningStore<ConfigMap> forConfigMaps() {
    return PruningStore.of(cm -> {
      ConfigMap pruned = new ConfigMap();
      pruned.setMetadata(meta(cm, digest(cm.getData(), cm.getBinaryData(), null),
          keys(cm.getData(), cm.getBinaryData())));
      return pruned;
    });
  }

  public static PruningStore<Secret> forSecrets() {
    return PruningStore.of(s -> {
      Secret pruned = new Secret();
      pruned.setMetadata(meta(s, digest(s.getData(), s.getStringData(), s.getType()),
          keys(s.getData(), s.getStringData())));
      return pruned;
    });
  }

  /** The digest of a stored object, as written by this store. */
  public static String digestOf(HasMetadata stored) {
    var annotations = stored.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(DIGEST);
  }

  /** The key names of a stored object. */
  public static java.util.Set<String> keysOf(HasMetadata stored) {
    var annotations = stored.getMetadata().getAnnotations();
    String keys = annotations == null ? "" : annotations.getOrDefault(KEYS, "");
    return keys.isEmpty() ? java.util.Set.of() : java.util.Set.of(keys.split(","));
  }

  private static String keys(Map<String, String> a, Map<String, String> b) {
    java.util.TreeSet<String> keys = new java.util.TreeSet<>();
    if (a != null) {
      keys.addAll(a.keySet());
    }
    if (b != null) {
      keys.addAll(b.keySet());
    }
    return String.join(",", keys);
  }

  private static ObjectMeta meta(HasMetadata object, String digest, String keys) {
    ObjectMeta m = object.getMetadata();
    return new ObjectMetaBuilder()
        .withName(m.getName())
        .withNamespace(m.getNamespace())
        .withUid(m.getUid())
        .withResourceVersion(m.getResourceVersion())
        .withAnnotations(Map.of(DIGEST, digest, KEYS, keys))
        .build();
  }

  private static String digest(Map<String, String> a, Map<String, String> b, String type) {
    Map<String, Object> content = new TreeMap<>();
    content.put("a", a == null ? Map.of() : new TreeMap<>(a));
    content.put("b", b == null ? Map.of() : new TreeMap<>(b));
    content.put("t", type == null ? "" : type);
    return dev.baton.planning.RevisionHasher.hash(content);
  }
}
