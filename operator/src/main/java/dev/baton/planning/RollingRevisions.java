package dev.baton.planning;

/**
 * Which revision the rolling strategy's one Deployment stands for: it is keyed
 * {@link Labels#ROLLING} in the {@link Snapshot} whatever template it runs, so status (which
 * reports revisions) asks here for the Deployment behind a hash and the hash behind it.
 */
final class RollingRevisions {

  private static final String KEY = Labels.ROLLING;

  private RollingRevisions() {}

  /**
   * The observed Deployment behind a revision hash: the rolling Deployment when it runs that
   * revision (or {@code hash} is {@link Labels#ROLLING}), else the revision's own Deployment.
   */
  static VersionState stateOf(Snapshot s, String hash) {
    VersionState rolling = s.versions().get(KEY);
    if (hash == null) {
      return null;
    }
    if (rolling == null || hash.equals(KEY)) {
      return s.versions().get(hash);
    }
    boolean runs = rolling.bookkeeping().templateHash().filter(hash::equals).isPresent()
        || rolling.bookkeeping().stableHash().filter(hash::equals).isPresent();
    if (runs && s.activeHash().filter(KEY::equals).isPresent()) {
      return rolling;
    }
    VersionState own = s.versions().get(hash);
    return own != null || !runs ? own : rolling;
  }

  /** A hash for status: {@link Labels#ROLLING} becomes the revision the rolling Deployment serves. */
  static String revisionHashOf(Snapshot s, String hash) {
    VersionState rolling = s.versions().get(KEY);
    if (!KEY.equals(hash) || rolling == null) {
      return hash;
    }
    return rolling.bookkeeping().stableHash()
        .or(() -> s.stored().stream().filter(r -> r.revision() == rolling.revision())
            .map(StoredRevision::hash).findFirst())
        .orElse(rolling.bookkeeping().templateHash().orElse(hash));
  }

  /** The revision in the rolling Deployment's pod template now, if it exists (else null). */
  static String template(Snapshot s) {
    VersionState r = s.versions().get(KEY);
    return r == null ? null : r.bookkeeping().templateHash().orElse(null);
  }
}
