package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.planning.Commands;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which annotation each command writes, and which commands it refuses, from the app as read. */
class ManualCommandsTest {

  private static final Instant NOW = Instant.parse("2026-11-20T10:00:00.123456Z");

  private static BatonApp waiting() {
    return Fixtures.app("shop", "api", Phase.Paused, 1, 2);
  }

  private static BatonApp idle() {
    return Fixtures.app("shop", "api", Phase.Healthy, 1, null);
  }

  @Test
  void promoteAndFullPromote() {
    var promote = new ManualCommands.Promote();
    assertThat(promote.change(waiting(), NOW).annotations())
        .containsExactly(entry(Commands.PROMOTE, ""));
    promote.full = true;
    assertThat(promote.change(waiting(), NOW).annotations())
        .containsExactly(entry(Commands.PROMOTE, "full"));
  }

  @Test
  void promoteOrAbortWithNothingRollingOutIsRefused() {
    assertThatThrownBy(() -> new ManualCommands.Promote().change(idle(), NOW))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("api has no new revision waiting to be promoted (phase Healthy");
    assertThatThrownBy(() -> new ManualCommands.Abort().change(idle(), NOW))
        .hasMessageContaining("has no rollout to abort");
  }

  @Test
  void promoteIsAllowedWhileStatusLagsBehindANewSpec() {
    BatonApp app = idle();
    app.getMetadata().setGeneration(2L);
    assertThat(new ManualCommands.Promote().change(app, NOW).annotations())
        .containsKey(Commands.PROMOTE);
  }

  @Test
  void abortAndRetry() {
    assertThat(new ManualCommands.Abort().change(waiting(), NOW).annotations())
        .containsExactly(entry(Commands.ABORT, ""));
    assertThat(new ManualCommands.Retry().change(idle(), NOW).annotations())
        .containsExactly(entry(Commands.RETRY, ""));
  }

  @Test
  void undoToPreviousOrToAKnownRevision() {
    var undo = new ManualCommands.Undo();
    assertThat(undo.change(idle(), NOW).annotations()).containsExactly(entry(Commands.UNDO, ""));

    BatonApp app = idle();
    app.getStatus().history.addAll(List.of(Fixtures.revision(2, "b", "api:2"),
        Fixtures.revision(1, "a", "api:1")));
    undo.toRevision = 1;
    assertThat(undo.change(app, NOW).annotations()).containsExactly(entry(Commands.UNDO, "1"));

    undo.toRevision = 7;
    assertThatThrownBy(() -> undo.change(app, NOW)).isInstanceOf(CliException.class)
        .hasMessage("revision 7 is not in the history of api (known: 2, 1)");
  }

  @Test
  void pauseSetsResumeRemoves() {
    assertThat(new ManualCommands.Pause().change(idle(), NOW).annotations())
        .containsExactly(entry(Commands.PAUSED, "true"));
    var resumed = new ManualCommands.Resume().change(idle(), NOW);
    assertThat(resumed.annotations()).containsExactly(entry(Commands.PAUSED, null));
    assertThat(resumed.message()).isEqualTo("resumed");
  }

  @Test
  void resumeWarnsWhenTheSpecKeepsTheAppPaused() {
    BatonApp app = idle();
    app.getSpec().paused = true;
    assertThat(new ManualCommands.Resume().change(app, NOW).message())
        .contains("spec.paused is true");
  }

  @Test
  void restartStampsTheTimeInRfc3339() {
    assertThat(new ManualCommands.Restart().change(idle(), NOW).annotations())
        .containsExactly(entry(Commands.RESTART, "2026-11-20T10:00:00.123Z"));
  }
}
