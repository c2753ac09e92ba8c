package dev.baton.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A reconcile that wrote a child looks again soon; one that wrote nothing keeps its plan's. */
class ReadBackLookTest {

  @Test
  void aReconcileThatWroteNothingKeepsWhatItsPlanAskedFor() {
    assertThat(ReadBackLook.next(Optional.empty(), 0)).isEmpty();
    assertThat(ReadBackLook.next(Optional.of(Duration.ofMinutes(3)), 0))
        .contains(Duration.ofMinutes(3));
  }

  @Test
  void aWriteBringsTheNextLookWithinTwoSecondsButNeverLater() {
    assertThat(ReadBackLook.next(Optional.empty(), 1)).contains(ReadBackLook.AFTER_WRITE);
    assertThat(ReadBackLook.next(Optional.of(Duration.ofMinutes(3)), 2))
        .contains(ReadBackLook.AFTER_WRITE);
    // A sooner look the plan asked for (the switch record's at once) stays.
    assertThat(ReadBackLook.next(Optional.of(Duration.ZERO), 1)).contains(Duration.ZERO);
  }
}
