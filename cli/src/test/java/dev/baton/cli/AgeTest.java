package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgeTest {

  @ParameterizedTest(name = "{0}s -> {1}")
  @CsvSource({
      "0, 0s", "45, 45s", "119, 119s", "120, 2m", "330, 5m30s", "600, 10m", "2700, 45m",
      "12000, 3h20m", "10800, 3h", "28800, 8h", "108000, 30h", "277200, 3d5h", "3888000, 45d",
      "69120000, 2y70d", "-5, 0s"})
  void formatsLikeKubectl(long seconds, String expected) {
    assertThat(Age.format(Duration.ofSeconds(seconds))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(value = {"NULL, <unknown>", "2026-11-20T10:00:00Z, 90s"}, nullValues = "NULL")
  void since(String timestamp, String expected) {
    assertThat(Age.since(timestamp, Instant.parse("2026-11-20T10:01:30Z"))).isEqualTo(expected);
  }
}
