package dev.baton.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The number a revision gets when no Deployment or ControllerRevision carries it yet. */
class RevisionNumberTest {

  @Test
  void aNewTemplateGetsTheNextNumber() {
    assertThat(RevisionHistory.next(9, Optional.of("live9"), "new")).isEqualTo(10);
    assertThat(RevisionHistory.next(0, Optional.empty(), "first")).isEqualTo(1);
  }

  @Test
  void aTemplateWhoseNumberWasRecordedBeforeACrashKeepsIt() {
    // The chaos run found it: status.history named revision 10 for this hash, the process was
    // killed before the Deployment was created, and the restart called the rollout revision 11.
    assertThat(RevisionHistory.next(10, Optional.of("target"), "target")).isEqualTo(10);
  }

  @Test
  void anOlderEntryForTheSameTemplateDoesNotCount() {
    // Only the newest entry is looked at: the caller passes the hash numbered `newest`.
    assertThat(RevisionHistory.next(12, Optional.of("other"), "target")).isEqualTo(13);
  }
}
