package dev.baton.planning;

import dev.baton.api.v1alpha1.MigrationStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A migration Job to create: which migration of which revision, and which attempt.
 *
 * @param name the Job's name ({@link #nameOf})
 * @param phase expand, contract or onAbort
 * @param revision the revision number
 * @param attempt 1, or more after a retry of an aborted rollout
 * @param hash the revision's hash
 */
public record MigrationJob(String name, MigrationStatus.Kind phase, int revision, int attempt,
    String hash) {

  /** Longest name whose Job pods can carry it in the job-name label. */
  static final int MAX_NAME = 63;

  /**
   * The Job's name: {@code <app>-r<revision>-<phase>}, with {@code -<attempt>} from the second
   * attempt on. When that is longer than 63 characters, the app name is cut and a hash of it
   * keeps names of different apps apart.
   *
   * <table>
   *   <tr><th>app, revision, phase, attempt</th><th>name</th></tr>
   *   <tr><td>shop, 3, expand, 1</td><td>{@code shop-r3-expand}</td></tr>
   *   <tr><td>shop, 3, onAbort, 2</td><td>{@code shop-r3-onabort-2}</td></tr>
   *   <tr><td>(60 characters), 3, contract, 1</td><td>{@code <first 44>-<6 hex>-r3-contract}</td></tr>
   * </table>
   */
  public static String nameOf(String app, int revision, MigrationStatus.Kind phase, int attempt) {
    String suffix = "-r" + revision + "-" + phase.name().toLowerCase()
        + (attempt > 1 ? "-" + attempt : "");
    if (app.length() + suffix.length() <= MAX_NAME) {
      return app + suffix;
    }
    String hash = hash6(app);
    String head = app.substring(0, MAX_NAME - suffix.length() - hash.length() - 1);
    while (head.endsWith("-") || head.endsWith(".")) {
      head = head.substring(0, head.length() - 1);
    }
    return head + "-" + hash + suffix;
  }

  static MigrationJob of(String app, int revision, MigrationStatus.Kind phase, int attempt,
      String hash) {
    return new MigrationJob(nameOf(app, revision, phase, attempt), phase, revision, attempt, hash);
  }

  private static String hash6(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
