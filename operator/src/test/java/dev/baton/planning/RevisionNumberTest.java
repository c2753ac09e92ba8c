package dev.baton.planning;

import static dev.baton.planning.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The number a revision gets when no Deployment or ControllerRevision carries it yet. */
class RevisionNumberTest {

  /**
   * A snapshot whose newest number seen anywhere (Deployments, ControllerRevisions, history) is
   * {@code newest}, with the newest history entry numbering {@code recordedHash}, if given.
   */
  private static Snapshot newest(int newest, String recordedHash) {
    var b = new Fixtures.SnapshotBuilder(spec(2, "app:1"), "target");
    b.nextRevision = newest + 1;
    if (recordedHash != null) {
      b.recorded(newest, recordedHash);
    }
    return b.build();
  }

  @Test
  void aNewTemplateGetsTheNextNumber() {
    assertThat(newest(9, "live9").revisionOf("new")).isEqualTo(10);
    assertThat(newest(0, null).revisionOf("first")).isEqualTo(1);
  }

  @Test
  void aTemplateWhoseNumberWasRecordedBeforeACrashKeepsIt() {
    // The chaos run found it: status.history named revision 10 for this hash, the process was
    // killed before the Deployment was created, and the restart called the rollout revision 11.
    assertThat(newest(10, "target").revisionOf("target")).isEqualTo(10);
  }

  @Test
  void anOlderEntryForTheSameTemplateDoesNotCount() {
    // Only the newest history entry is looked at: an older template applied again, with its
    // Deployment and ControllerRevision gone, is a new revision.
    assertThat(newest(12, "other").revisionOf("target")).isEqualTo(13);
  }
}
