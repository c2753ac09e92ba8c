package dev.baton.planning;

import dev.baton.api.v1alpha1.SwitchStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Makes a promotion a two-phase record, so that it is reported exactly once whatever the operator
 * is killed between its writes.
 *
 * <p>Moving the active Service is the one irreversible write of a rollout. The reconcile that
 * decides it records the intent ({@code status.rollout.switching}: what the Service will select,
 * the revision, the time) in status <em>before</em> writing the Service, and reports nothing yet.
 * The reconcile that finds the Service moved (the next one, or the first one of a standby
 * operator) completes the bookkeeping from the record: the Event, the history entry with reason
 * {@code Promoted} and the time the switch was written, the notification; and clears the intent.
 * A crash before the Service write leaves an intent that the next reconcile finds not done: it
 * plans afresh, and switches (with a new intent) only if the plan still says so.
 */
public final class SwitchRecord {

  /** The Event reasons a planner gives a switch of the active Service. */
  static final Set<String> SWITCH_REASONS = Set.of("Promoted", "RolledBack");

  /**
   * The plan with the switch's bookkeeping moved to the reconcile that sees it done.
   *
   * @param plan the plan, its switch Event held back (it is in {@code intent}) and a completed
   *     switch's Event added
   * @param intent {@code status.rollout.switching} to write
   * @param completed the switch this reconcile found done, to record in the history
   */
  public record Result(Plan plan, Optional<SwitchStatus> intent, Optional<Completed> completed) {

    /** True when this reconcile writes a new intent: the status goes before the Service. */
    public boolean switching() {
      return intent.isPresent() && plan.switchesTraffic();
    }
  }

  /**
   * A switch seen done.
   *
   * @param hash the revision promoted
   * @param at when the switch was written
   */
  public record Completed(String hash, Instant at) {}

  private SwitchRecord() {}

  /**
   * Applies the record to a plan.
   *
   * @param recorded the intent in the status read with the app, if any
   */
  public static Result apply(Snapshot s, Optional<SwitchStatus> recorded, Plan plan) {
    if (plan.holdChildren()) {
      return new Result(plan, recorded, Optional.empty());
    }
    List<PlannedEvent> events = new ArrayList<>(plan.events());
    Optional<Completed> completed = Optional.empty();
    Optional<SwitchStatus> intent = Optional.empty();
    if (recorded.isPresent() && recorded.get().selects != null
        && s.activeHash().filter(recorded.get().selects::equals).isPresent()) {
      SwitchStatus r = recorded.get();
      events.add(0, PlannedEvent.normal(r.reason == null ? "Promoted" : r.reason,
          r.message == null ? "Switched traffic." : r.message));
      completed = Optional.of(new Completed(r.hash, r.at == null ? s.now() : Instant.parse(r.at)));
    }
    boolean movesService = plan.switchesTraffic() && plan.activeHash().isPresent()
        && !plan.activeHash().equals(s.activeHash());
    if (movesService) {
      PlannedEvent switchEvent = null;
      for (PlannedEvent e : events) {
        if (SWITCH_REASONS.contains(e.reason()) && !e.warning()) {
          switchEvent = e;
        }
      }
      events.remove(switchEvent);
      SwitchStatus next = new SwitchStatus();
      next.selects = plan.activeHash().get();
      next.hash = plan.outcome().promotedHash().get();
      next.at = s.now().toString();
      next.reason = switchEvent == null ? "Promoted" : switchEvent.reason();
      next.message = switchEvent == null ? "Switched traffic to revision "
          + s.revisionOf(next.hash) + "." : switchEvent.message();
      intent = Optional.of(next);
    }
    Plan adjusted = plan.with(events,
        // Our own Service write raises no watch event: look again at once to complete the record.
        movesService ? Optional.of(java.time.Duration.ZERO) : plan.requeueAfter());
    return new Result(adjusted, intent, completed);
  }
}
