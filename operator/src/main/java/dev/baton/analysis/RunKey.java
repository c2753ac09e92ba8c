package dev.baton.analysis;

/**
 * Which analysis run: of which revision, at which attempt (1, then +1 per retry) and where
 * ({@code step-N}, {@code background}, {@code prePromotion}, {@code postPromotion}). A new
 * attempt is a new key, so it never sees an earlier attempt's counters or verdict.
 */
public record RunKey(int revision, int attempt, String step) {

  /** Where a background analysis runs. */
  public static final String BACKGROUND = "background";
  /** Blue/green, before the switch. */
  public static final String PRE_PROMOTION = "prePromotion";
  /** Blue/green, after the switch. */
  public static final String POST_PROMOTION = "postPromotion";

  public RunKey {
    if (revision < 1 || attempt < 1 || step == null || step.isBlank()) {
      throw new IllegalArgumentException("revision and attempt start at 1; step is named");
    }
  }

  /** The analysis of canary step {@code index} (from 0). */
  public static RunKey step(int revision, int attempt, int index) {
    return new RunKey(revision, attempt, "step-" + index);
  }

  /** A DNS-label-safe name part, e.g. {@code r3-a1-step-2}, for Jobs. */
  public String namePart() {
    return "r" + revision + "-a" + attempt + "-" + step.toLowerCase();
  }
}
