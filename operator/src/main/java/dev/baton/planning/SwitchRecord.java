package dev.baton.planning;

import dev.baton.api.v1alpha1.BatonAppStatus;
import dev.baton.api.v1alpha1.SwitchStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reports a switch of the active Service exactly once, whatever the operator is killed between
 * its writes, without a status write in series before the switch.
 *
 * <p>Moving the active Service is the one irreversible write of a rollout, and the one whose
 * latency users see. The reconcile that decides it writes the Service first, then the switch's
 * Event, then the status with the switch recorded as done: the history entry, and
 * {@code status.rollout.activeSelects}, the value the Service selects as of that status. A crash
 * (or a failed status write) between the Service write and the status write leaves a Service that
 * selects another version than status recorded; the next reconcile (of this process or another)
 * completes the record from that: the history entry (promoted at the time it is found), the Event
 * and the notification. A crash before the Service write leaves nothing, and the next reconcile
 * decides afresh.
 *
 * <p>The switch's Event is named by what both reconciles read alike: the value switched to and the
 * status the switch was decided from (no status write comes between them), so the completer's
 * Event is the first one's when that got out, and the API server keeps one.
 *
 * <p>Only a version of the app counts as switched to: a hand-edited selector naming no
 * Deployment is no switch (the plan writes the Service back). A reconcile that does not move the
 * active Service records its selector before writing it, as every other record: a plan moves the
 * Service away from a version it selects only to switch (checked by
 * {@code RolloutPlannerPropertyTest}), so a Service behind its record is never taken for a switch.
 *
 * <p>Baton releases before {@code activeSelects} recorded an intent
 * ({@code status.rollout.switching}) before the Service write; one found done is completed as
 * they did (for one release), one not done is dropped and the plan decides afresh.
 */
public final class SwitchRecord {

  /** The Event reasons a planner gives a switch of the active Service. */
  static final Set<String> SWITCH_REASONS = Set.of("Promoted", "RolledBack");

  /**
   * The plan with the switch's bookkeeping applied.
   *
   * @param plan the plan, its switch Event named by the switch, and a completed switch's Event
   *     added
   * @param switching true when this reconcile moves the active Service: the Service is written
   *     before the Events and the status
   * @param selects {@code status.rollout.activeSelects} to record
   * @param completed a switch this reconcile found done but not recorded, to record in the
   *     history
   */
  public record Result(Plan plan, boolean switching, Optional<String> selects,
      Optional<Completed> completed) {}

  /**
   * A switch seen done.
   *
   * @param hash the revision switched to
   * @param at when it was written (for one found after a lost record: when it was found)
   */
  public record Completed(String hash, Instant at) {}

  private SwitchRecord() {}

  /**
   * Applies the record to a plan.
   *
   * @param recorded the status read with the app (may be null)
   */
  public static Result apply(Snapshot s, BatonAppStatus recorded, Plan plan) {
    Optional<String> recordedSelects = Optional.ofNullable(recorded).map(st -> st.rollout)
        .map(r -> r.activeSelects);
    if (plan.holdChildren()) {
      // Nothing is written: the record stays as it was.
      return new Result(plan, false, recordedSelects, Optional.empty());
    }
    List<PlannedEvent> events = new ArrayList<>(plan.events());
    Optional<String> observed = s.activeHash();
    Optional<SwitchStatus> intent = Optional.ofNullable(recorded).map(st -> st.rollout)
        .map(r -> r.switching).filter(i -> i.selects != null);
    Optional<Completed> completed = Optional.empty();
    String key = statusKey(recorded);
    if (intent.isPresent()) {
      SwitchStatus r = intent.get();
      if (observed.filter(r.selects::equals).isPresent()) {
        events.add(0, PlannedEvent.normal(r.reason == null ? "Promoted" : r.reason,
            r.message == null ? "Switched traffic." : r.message));
        completed = Optional.of(new Completed(r.hash, r.at == null ? s.now()
            : RolloutRecord.instant(r.at).orElse(s.now())));
      }
    } else if (recordedSelects.isPresent() && observed.isPresent()
        && !observed.equals(recordedSelects) && s.versions().containsKey(observed.get())) {
      Completed found = new Completed(revisionSelected(s, observed.get()), s.now());
      events.add(0, foundEvent(s, observed.get(), found.hash()).keyed(switchKey(observed.get(),
          key)));
      completed = Optional.of(found);
    }
    boolean movesService = plan.switchesTraffic() && plan.activeHash().isPresent()
        && !plan.activeHash().equals(observed);
    if (movesService) {
      for (int i = 0; i < events.size(); i++) {
        PlannedEvent e = events.get(i);
        if (SWITCH_REASONS.contains(e.reason()) && !e.warning() && e.key() == null) {
          events.set(i, e.keyed(switchKey(plan.activeHash().get(), key)));
        }
      }
    }
    Optional<String> selects = plan.activeHash().or(() -> observed);
    Plan adjusted = plan.with(events,
        // Our own Service write raises no watch event: look again at once, so the replaced
        // version's retirement starts from the switch seen.
        movesService ? Optional.of(Duration.ZERO) : plan.requeueAfter());
    return new Result(adjusted, movesService, selects, completed);
  }

  /** The key of a switch's Event: the value switched to, and the status it was decided from. */
  static String switchKey(String selects, String statusKey) {
    return "switch/" + selects + "/" + statusKey;
  }

  /** A digest of the status as read; no status write comes between a switch and its completer. */
  private static String statusKey(BatonAppStatus recorded) {
    return recorded == null ? "none" : RevisionHasher.hash(recorded);
  }

  /** The revision a selector value stands for: the rolling Deployment's is its template's. */
  private static String revisionSelected(Snapshot s, String selects) {
    VersionState v = s.versions().get(selects);
    if (Labels.ROLLING.equals(selects)) {
      return v.bookkeeping().templateHash()
          .orElseGet(() -> RollingRevisions.revisionHashOf(s, selects));
    }
    return selects;
  }

  /**
   * The Event of a switch found done: a switch back to a version that served before is a
   * rollback, as the planner reports it ({@code BlueGreenRollout}); the rolling Deployment only
   * ever takes over in a promotion.
   */
  private static PlannedEvent foundEvent(Snapshot s, String selects, String hash) {
    int rev = s.revisionOf(hash);
    if (!Labels.ROLLING.equals(selects) && s.versions().get(selects).bookkeeping().served()) {
      return PlannedEvent.normal("RolledBack", "Switched back to revision " + rev + ".");
    }
    return PlannedEvent.normal("Promoted", "Switched traffic to revision " + rev + ".");
  }
}
