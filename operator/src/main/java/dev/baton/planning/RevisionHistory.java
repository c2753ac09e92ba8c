package dev.baton.planning;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps the revision history (ControllerRevisions) bounded: the target revision is stored as soon
 * as it is seen, and the oldest revisions beyond {@code revisionHistoryLimit} are dropped, never
 * the live or the target one.
 *
 * <p>Example with limit 2, live 4, target 5 and stored {2, 3, 4}: store 5, delete 2 and 3 (the two
 * newest, 5 and 4, are kept).
 */
public final class RevisionHistory {

  /**
   * What to change.
   *
   * @param store revisions to write
   * @param delete hashes of revisions to delete
   */
  public record Changes(List<StoredRevision> store, List<String> delete) {}

  private RevisionHistory() {}

  public static Changes plan(List<StoredRevision> stored, Snapshot.Target target,
      int targetRevision, String liveHash, int liveRevision, int limit) {
    List<StoredRevision> all = new ArrayList<>(stored);
    List<StoredRevision> store = new ArrayList<>();
    if (all.stream().noneMatch(r -> r.hash().equals(target.hash()))) {
      StoredRevision r = new StoredRevision(targetRevision, target.hash(), target.template());
      store.add(r);
      all.add(r);
    }
    all.sort(Comparator.comparingInt(StoredRevision::revision).reversed());
    List<String> delete = new ArrayList<>();
    int kept = 0;
    for (StoredRevision r : all) {
      boolean protectedRevision = r.hash().equals(target.hash()) || r.hash().equals(liveHash);
      if (protectedRevision || kept < limit) {
        kept++;
      } else {
        delete.add(r.hash());
      }
    }
    return new Changes(store, delete);
  }
}
