package dev.baton.planning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names a revision: a short hash of the pod template in canonical JSON (sorted keys), so the same
 * template always gives the same hash, across restarts and operator versions that keep the format.
 */
public final class RevisionHasher {

  /** Hex digits kept: 40 bits, plenty to tell a handful of live revisions apart. */
  static final int LENGTH = 10;

  private static final ObjectMapper CANONICAL = JsonMapper.builder()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private RevisionHasher() {}

  /** The hash of a pod template. */
  public static String hash(PodTemplateSpec template) {
    return hash((Object) template);
  }

  /** The hash of any JSON-serialisable value, e.g. a desired object (to skip no-op writes). */
  public static String hash(Object value) {
    try {
      byte[] json = CANONICAL.writeValueAsBytes(value);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
      return HexFormat.of().formatHex(digest).substring(0, LENGTH);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash " + value.getClass().getSimpleName(), e);
    }
  }

  /** The hash of a string. */
  public static String hashText(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
