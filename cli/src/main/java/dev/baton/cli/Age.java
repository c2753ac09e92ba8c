package dev.baton.cli;

import java.time.Duration;
import java.time.Instant;

/**
 * Ages as kubectl prints them (its {@code HumanDuration}), so our columns read like kubectl's.
 *
 * <pre>
 *   45s -> 45s     90s -> 90s      5m30s -> 5m30s   45m -> 45m    3h20m -> 3h20m
 *   30h -> 30h     3d5h -> 3d5h    45d -> 45d       800d -> 2y70d
 * </pre>
 */
public final class Age {

  private Age() {}

  /** The age of a Kubernetes timestamp, or {@code <unknown>} when there is none. */
  public static String since(String timestamp, Instant now) {
    if (timestamp == null || timestamp.isBlank()) {
      return "<unknown>";
    }
    return format(Duration.between(Instant.parse(timestamp), now));
  }

  /** kubectl's human-readable duration. */
  public static String format(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 120) {
      return s + "s";
    }
    long m = s / 60;
    if (m < 10) {
      return s % 60 == 0 ? m + "m" : m + "m" + (s % 60) + "s";
    }
    if (m < 180) {
      return m + "m";
    }
    long h = m / 60;
    if (h < 8) {
      return m % 60 == 0 ? h + "h" : h + "h" + (m % 60) + "m";
    }
    if (h < 48) {
      return h + "h";
    }
    long days = h / 24;
    if (h < 192) {
      return h % 24 == 0 ? days + "d" : days + "d" + (h % 24) + "h";
    }
    if (days < 365 * 2) {
      return days + "d";
    }
    long years = days / 365;
    return days % 365 == 0 ? years + "y" : years + "y" + (days % 365) + "d";
  }
}
