package dev.baton.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The replica and weight arithmetic, with the worked examples the README shows. */
class CanaryArithmeticTest {

  @ParameterizedTest(name = "replicas {0}, weight {1}% by pod share: {2} pods, {3}% of traffic")
  @CsvSource({
      "4, 10, 1, 20",
      "4, 20, 1, 20",
      "4, 25, 1, 20",
      "4, 40, 3, 43",
      "4, 50, 4, 50",
      "4, 80, 4, 50",
      "10, 10, 1, 9",
      "10, 30, 4, 29",
      "1, 10, 1, 50",
      "0, 50, 0, 0"})
  void withoutAProviderTheWeightIsTheCanarysShareOfPods(int replicas, int weight, int pods,
      int share) {
    assertThat(CanaryArithmetic.replicasByPodShare(replicas, weight)).isEqualTo(pods);
    assertThat(CanaryArithmetic.podShare(replicas, pods)).isEqualTo(share);
  }

  @ParameterizedTest(name = "replicas {0}, weight {1}%: {2} canary pods")
  @CsvSource({"4, 10, 1", "4, 25, 1", "4, 30, 2", "4, 50, 2", "4, 100, 4", "10, 0, 1",
      "10, 5, 1", "0, 50, 0"})
  void withAProviderTheCanarysSizeFollowsItsWeightAtLeastOnePod(int replicas, int weight,
      int pods) {
    assertThat(CanaryArithmetic.replicasWithProvider(replicas, weight,
        RolloutStep.CanaryScale.MATCH_WEIGHT)).isEqualTo(pods);
  }

  @Test
  void setCanaryScaleOverridesTheWeightUpToFullSize() {
    var three = new RolloutStep.CanaryScale(Optional.of(3), Optional.empty());
    var tooMany = new RolloutStep.CanaryScale(Optional.of(9), Optional.empty());
    var half = new RolloutStep.CanaryScale(Optional.empty(), Optional.of(50));
    assertThat(CanaryArithmetic.replicasWithProvider(4, 10, three)).isEqualTo(3);
    assertThat(CanaryArithmetic.replicasWithProvider(4, 10, tooMany)).isEqualTo(4);
    assertThat(CanaryArithmetic.replicasWithProvider(4, 10, half)).isEqualTo(2);
  }

  @Test
  void theWeightAndScaleInForceAreTheLastSetAtOrBeforeAStep() {
    var scale = new RolloutStep.CanaryScale(Optional.of(2), Optional.empty());
    List<RolloutStep> steps = List.of(
        new RolloutStep(Optional.empty(), Optional.empty(), true, Optional.of(Duration.ofSeconds(5))),
        new RolloutStep(Optional.of(10), Optional.empty(), false, Optional.empty()),
        new RolloutStep(Optional.empty(), Optional.of(scale), false, Optional.empty()),
        new RolloutStep(Optional.of(40), Optional.empty(), false, Optional.empty()));
    assertThat(CanaryArithmetic.weightAt(steps, 0)).isZero();
    assertThat(CanaryArithmetic.weightAt(steps, 2)).isEqualTo(10);
    assertThat(CanaryArithmetic.weightAt(steps, 3)).isEqualTo(40);
    assertThat(CanaryArithmetic.scaleAt(steps, 1)).isEqualTo(RolloutStep.CanaryScale.MATCH_WEIGHT);
    assertThat(CanaryArithmetic.scaleAt(steps, 3)).isEqualTo(scale);
  }
}
