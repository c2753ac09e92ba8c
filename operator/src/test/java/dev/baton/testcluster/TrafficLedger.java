package dev.baton.testcluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Every request a {@link LoadGenerator} sent to one app, and what came back; the assertions the
 * rollout tests make about real traffic.
 *
 * <p>A request failed when no HTTP answer came (connection refused or reset, time-out) or the
 * answer was not 200: a 5xx from the pod or the proxy, a 404 because the proxy had no route.
 */
public final class TrafficLedger {

  /**
   * One request.
   *
   * @param sent when it was sent
   * @param latency how long until the answer (or the error)
   * @param status the HTTP status, 0 when none came
   * @param revision the answering pod's {@code baton.dev/revision-hash}, or null
   * @param template the answering pod's {@code pod-template-hash}, or null
   * @param image the answering pod's first image, or null
   * @param pod the answering pod's name, or null
   * @param error what went wrong without an answer, or null
   */
  public record Outcome(Instant sent, Duration latency, int status, String revision,
      String template, String image, String pod, String error) {

    public boolean failed() {
      return status != 200;
    }

    @Override
    public String toString() {
      return sent + " " + (error != null ? error : status + " from " + pod + " (revision "
          + revision + ", " + image + ")") + " in " + latency.toMillis() + " ms";
    }
  }

  private final String target;
  private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();

  TrafficLedger(String target) {
    this.target = target;
  }

  void record(Outcome outcome) {
    outcomes.add(outcome);
  }

  /** What was recorded, in the order the requests were sent. */
  public List<Outcome> outcomes() {
    List<Outcome> all = new ArrayList<>(outcomes);
    all.sort(Comparator.comparing(Outcome::sent));
    return all;
  }

  /** The requests sent in {@code [from, to)}. */
  public List<Outcome> sentBetween(Instant from, Instant to) {
    return outcomes().stream().filter(o -> !o.sent().isBefore(from) && o.sent().isBefore(to))
        .toList();
  }

  public List<Outcome> failures() {
    return outcomes().stream().filter(Outcome::failed).toList();
  }

  /** Zero failed requests since the load started. */
  public void assertNoFailedRequests() {
    assertFailuresOnlyWhere(o -> false, "none allowed");
  }

  /**
   * Failed requests only where {@code allowed} says so, e.g. the 5xx answers of a version the
   * test broke on purpose: a connection error or a proxy's 5xx is never the broken pods' share.
   */
  public void assertFailuresOnlyWhere(Predicate<Outcome> allowed, String why) {
    List<Outcome> unexpected = failures().stream().filter(allowed.negate()).toList();
    if (!unexpected.isEmpty()) {
      throw new AssertionError(unexpected.size() + " failed requests to " + target + " ("
          + why + "); first ones:\n  " + unexpected.stream().limit(10).map(Outcome::toString)
              .collect(Collectors.joining("\n  ")) + "\n" + summary());
    }
  }

  /** Requests by what {@code key} says of them (e.g. the revision that answered), since a time. */
  public Map<String, Long> servedBy(Function<Outcome, String> key, Instant from, Instant to) {
    return sentBetween(from, to).stream().filter(o -> !o.failed())
        .collect(Collectors.groupingBy(o -> String.valueOf(key.apply(o)), TreeMap::new,
            Collectors.counting()));
  }

  /**
   * The share of successful requests sent in {@code [from, to)} that {@code revision} answered is
   * {@code percent} within {@code tolerance} percentage points; needs at least {@code minimum}
   * requests in the window.
   */
  public void assertShare(String revision, int percent, int tolerance, int minimum,
      Instant from, Instant to) {
    Map<String, Long> served = servedBy(Outcome::revision, from, to);
    long total = served.values().stream().mapToLong(Long::longValue).sum();
    long mine = served.getOrDefault(revision, 0L);
    if (total < minimum) {
      throw new AssertionError("only " + total + " answered requests to " + target + " between "
          + from + " and " + to + ", " + minimum + " needed to judge a share\n" + summary());
    }
    double share = 100.0 * mine / total;
    if (Math.abs(share - percent) > tolerance) {
      throw new AssertionError(String.format("revision %s answered %.1f%% of %d requests to %s,"
          + " the weight is %d%% (tolerance %d points); served: %s", revision, share, total,
          target, percent, tolerance, served));
    }
  }

  /**
   * Once Baton reported that {@code revision} serves all traffic (at {@code reported}), only it
   * answers after the proxy's propagation delay: returns that delay (when the last request sent
   * after {@code reported} that another revision answered was sent, or zero) and fails when it
   * exceeds {@code bound}.
   */
  public Duration assertOnlyRevisionAfter(String revision, Instant reported, Duration bound) {
    return assertOnlyAfter(Outcome::revision, revision, reported, bound);
  }

  /** As {@link #assertOnlyRevisionAfter}, with what identifies the version given by {@code key}. */
  public Duration assertOnlyAfter(Function<Outcome, String> key, String version, Instant reported,
      Duration bound) {
    List<Outcome> others = outcomes().stream()
        .filter(o -> !o.failed() && !o.sent().isBefore(reported))
        .filter(o -> !version.equals(key.apply(o))).toList();
    Duration delay = others.isEmpty() ? Duration.ZERO
        : Duration.between(reported, others.get(others.size() - 1).sent());
    TrafficFigures.record("switch -> only " + version + " served (" + target + ")", delay);
    if (delay.compareTo(bound) > 0) {
      throw new AssertionError("another version still answered " + delay.toMillis()
          + " ms after Baton reported the switch to " + version + " (bound " + bound.toMillis()
          + " ms): " + others.stream().skip(Math.max(0, others.size() - 5))
              .map(Outcome::toString).collect(Collectors.joining("; ")));
    }
    return delay;
  }

  /** A one-paragraph account: counts by status and revision, latency percentiles. */
  public String summary() {
    List<Outcome> all = outcomes();
    Map<String, Long> byStatus = all.stream().collect(Collectors.groupingBy(
        o -> o.error() != null ? "error" : Integer.toString(o.status()), TreeMap::new,
        Collectors.counting()));
    Map<String, Long> byRevision = all.stream().filter(o -> !o.failed()).collect(
        Collectors.groupingBy(o -> String.valueOf(o.revision()), TreeMap::new,
            Collectors.counting()));
    return String.format("%s: %d requests, by status %s, answered by revision %s, latency p50 %d"
        + " ms p99 %d ms", target, all.size(), byStatus, byRevision, percentile(all, 50),
        percentile(all, 99));
  }

  /** A latency percentile in milliseconds over the successful requests. */
  public long percentile(int p) {
    return percentile(outcomes(), p);
  }

  private static long percentile(List<Outcome> all, int p) {
    List<Long> ms = all.stream().filter(o -> !o.failed()).map(o -> o.latency().toMillis())
        .sorted().toList();
    if (ms.isEmpty()) {
      return 0;
    }
    return ms.get(Math.min(ms.size() - 1, (int) Math.ceil(p / 100.0 * ms.size()) - 1));
  }
}
