package dev.baton.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.retry.RetryExecution;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A failing reconcile is retried without end, with a capped back-off. */
class ControllersRetryTest {

  @Test
  void aFailingReconcileIsRetriedForeverAtMostEveryThirtySeconds() {
    RetryExecution execution = Controllers.retry().initExecution();
    List<Long> delays = new ArrayList<>();
    // An hour of failures (an outage far longer than the SDK's default 5 attempts cover).
    for (int attempt = 0; attempt < 200; attempt++) {
      Optional<Long> next = execution.nextDelay();
      assertThat(next).as("attempt %d is retried", attempt).isPresent();
      delays.add(next.get());
    }
    // The SDK waits the initial interval twice before it starts doubling.
    assertThat(delays.subList(0, 7))
        .containsExactly(1000L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L);
    assertThat(delays).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(
        Controllers.RETRY_CAP.toMillis()));
  }
}
