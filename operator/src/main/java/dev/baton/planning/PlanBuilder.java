package dev.baton.planning;

import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.planning.Plan.ConditionState;
import dev.baton.planning.Plan.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The one place a strategy's {@link Plan} is built: what one planning pass decided so far (the
 * Deployments to keep and delete, Events, conditions, the earliest time to look again, the traffic
 * weight, the promotion or abort), collected while the strategy's steps run and turned into the
 * plan once at the end. Every strategy planner works on one; none builds a {@link Plan} itself.
 */
final class PlanBuilder {

  private final Snapshot s;
  private final TargetResolver.Resolution resolution;
  private final Map<String, DesiredVersion> desired = new LinkedHashMap<>();
  private final List<String> deleted = new ArrayList<>();
  private final List<PlannedEvent> events = new ArrayList<>();
  private final List<ConditionState> conditions = new ArrayList<>();
  private Instant wakeUp;
  private Optional<String> promoted = Optional.empty();
  private Optional<String> aborted = Optional.empty();
  private String abortReason;
  /** Percent of traffic for the preview Service. */
  private int weight;
  /** Provider none: whether the active Service spans both versions. */
  private boolean wide;
  private Integer currentStep;

  /** A plan towards the resolved target; the resolution's Event (an undo's) comes first. */
  PlanBuilder(Snapshot s, TargetResolver.Resolution resolution) {
    this.s = s;
    this.resolution = resolution;
    resolution.event().ifPresent(events::add);
  }

  Snapshot snapshot() {
    return s;
  }

  AppSettings app() {
    return s.app();
  }

  Instant now() {
    return s.now();
  }

  String target() {
    return resolution.target().hash();
  }

  /** The revision number of a hash. */
  int rev(String hash) {
    return s.revisionOf(hash);
  }

  /** Baton holds the rollout (spec.paused or the paused annotation). */
  boolean paused() {
    return s.app().paused() || s.commands().paused();
  }

  /** Every version Baton writes carries the current restart value, so none restarts later. */
  String restart() {
    return s.commands().restart().orElse(null);
  }

  /** Keeps {@code hash}'s Deployment at {@code replicas} with this bookkeeping. */
  void keep(String hash, int revision, int replicas, Bookkeeping bookkeeping) {
    keep(new DesiredVersion(hash, revision, replicas, bookkeeping, restart()));
  }

  void keep(DesiredVersion v) {
    desired.put(v.hash(), v);
  }

  /** The version this plan keeps under {@code hash}, if it keeps one. */
  Optional<DesiredVersion> kept(String hash) {
    return Optional.ofNullable(desired.get(hash));
  }

  /**
   * Retired versions already at zero go (their templates stay in the revision history for undo):
   * every observed one not {@code inUse} that this plan keeps at zero.
   */
  void deleteRetired(Predicate<String> inUse) {
    for (VersionState v : s.versions().values()) {
      DesiredVersion d = desired.get(v.hash());
      if (!inUse.test(v.hash()) && d != null && d.replicas() == 0 && v.specReplicas() == 0) {
        deleted.add(v.hash());
        desired.remove(v.hash());
      }
    }
  }

  void event(PlannedEvent e) {
    events.add(e);
  }

  void condition(String type, boolean status, String reason, String message) {
    conditions.add(new ConditionState(type, status, reason, message));
  }

  /** Drops the conditions of these types set so far (a later step decides them anew). */
  void dropConditions(Predicate<String> types) {
    conditions.removeIf(c -> types.test(c.type()));
  }

  /** The message of the condition of this type set so far, if any. */
  Optional<String> conditionMessage(String type) {
    return conditions.stream().filter(c -> c.type().equals(type)).map(ConditionState::message)
        .findFirst();
  }

  /** Look again at {@code t} at the latest. */
  void wakeAt(Instant t) {
    if (wakeUp == null || t.isBefore(wakeUp)) {
      wakeUp = t;
    }
  }

  /** This plan switches traffic to {@code hash}. */
  void promoted(String hash) {
    promoted = Optional.of(hash);
  }

  /** This plan aborts the rollout of {@code hash}. */
  void aborted(String hash, String reason) {
    aborted = Optional.of(hash);
    abortReason = reason;
  }

  /**
   * Starts from the weight and span the traffic objects hold now; no weight while the preview
   * Service has no ready endpoint (see {@link TrafficObservation#servable}).
   */
  void carryTraffic() {
    weight = s.traffic().servable(s.traffic().weight().orElse(0));
    wide = s.traffic().wide();
  }

  /** Every request to the active Service: no weight on the preview, no spanning. */
  void allTrafficToActive() {
    weight = 0;
    wide = false;
  }

  /** Percent of traffic for the preview Service, once it has a ready endpoint. */
  void weight(int percent) {
    weight = s.traffic().servable(percent);
  }

  void wide(boolean spans) {
    wide = spans;
  }

  void currentStep(Integer index) {
    currentStep = index;
  }

  /** True when the traffic objects hold what this plan asks (weights read back). */
  boolean trafficReadBack() {
    if (s.app().provider() == IngressSpec.Provider.none) {
      return s.traffic().wide() == wide;
    }
    return s.traffic().weight().filter(w -> w == weight).isPresent();
  }

  /**
   * The plan.
   *
   * @param phase the phase to report
   * @param message what Baton does or waits for
   * @param active what the active Service selects
   * @param preview what the preview Service selects
   * @param live the version serving after this plan (for the outcome and the history)
   * @param rollingIn the version being rolled out, if any
   * @param reportedWeight the new version's share of traffic as read back
   * @param analysis the analysis runs to record
   */
  Plan build(Phase phase, String message, String active, String preview, String live,
      Optional<String> rollingIn, int reportedWeight, AnalysisPlan analysis) {
    RevisionHistory.Changes history = RevisionHistory.plan(s.stored(), resolution.target(),
        rev(target()), live, rev(live), s.app().revisionHistoryLimit());
    return new Plan(
        false,
        resolution.target(),
        resolution.pin(),
        history.store(),
        history.delete(),
        List.copyOf(desired.values()),
        List.copyOf(deleted),
        Optional.of(active),
        Optional.of(preview),
        new Outcome(phase, message, conditions, Optional.of(live), rollingIn, promoted, aborted,
            abortReason),
        events,
        Optional.ofNullable(wakeUp).map(t -> Duration.between(s.now(), t))
            .map(d -> d.isNegative() ? Duration.ZERO : d),
        s.commands().anyOneShot(),
        resolution.consumeUndo(),
        new TrafficPlan(weight, wide, TrafficPlan.removable(s), Optional.ofNullable(currentStep),
            reportedWeight),
        analysis);
  }
}
