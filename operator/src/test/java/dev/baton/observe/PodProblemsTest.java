package dev.baton.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodProblemsTest {

  private static final Duration TEN_MINUTES = Duration.ofMinutes(10);
  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

  private static Pod waiting(String name, String reason, int restarts) {
    return new PodBuilder().withNewMetadata().withName(name)
        .withCreationTimestamp(CREATED.toString()).endMetadata()
        .withNewStatus().withPhase("Pending")
        .addNewCondition().withType("Ready").withStatus("False").endCondition()
        .addNewContainerStatus().withName("api").withRestartCount(restarts).withNewState()
            .withNewWaiting().withReason(reason).endWaiting().endState().endContainerStatus()
        .endStatus().build();
  }

  @Test
  void aStartingPodIsNamedOnlyAfterTheGracePeriod() {
    List<Pod> pods = List.of(waiting("web-1", "ContainerCreating", 0));

    assertThat(PodProblems.summarise(pods, CREATED.plusSeconds(5), TEN_MINUTES)).isEmpty();
    assertThat(PodProblems.summarise(pods, CREATED.plus(PodProblems.STARTING_GRACE), TEN_MINUTES))
        .isEqualTo("Pods not ready: web-1 (ContainerCreating in container api).");
    assertThat(PodProblems.summarise(pods, CREATED.plusSeconds(5), Duration.ofSeconds(8)))
        .as("half a short progress deadline: named by the time it aborts").isNotEmpty();
  }

  @Test
  void aPodInAnErrorStateIsNamedAtOnce() {
    List<Pod> pods = List.of(waiting("web-1", "ImagePullBackOff", 0),
        waiting("web-2", "CrashLoopBackOff", 3), waiting("web-3", "ContainerCreating", 0));

    assertThat(PodProblems.summarise(pods, CREATED.plusSeconds(1), TEN_MINUTES)).isEqualTo("Pods not ready: "
        + "web-1 (ImagePullBackOff in container api), "
        + "web-2 (CrashLoopBackOff, 3 restarts in container api).");
  }
}
