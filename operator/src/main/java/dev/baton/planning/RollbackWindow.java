package dev.baton.planning;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The way out of a version that is neither live nor rolling in, shared by every strategy: one that
 * served before stays warm at its size until its rollback window ends (so an undo meanwhile is
 * instant), then goes to zero; one that never served goes to zero at once.
 */
final class RollbackWindow {

  private RollbackWindow() {}

  /**
   * A retired version's plan.
   *
   * @param desired its size and the bookkeeping it keeps
   * @param wakeAt when its window ends, if it is still open
   * @param event the ScaledDown event, when this plan ends its window
   */
  record Retirement(DesiredVersion desired, Optional<Instant> wakeAt,
      Optional<PlannedEvent> event) {}

  /** Retires {@code v} at {@code now}; {@code restart} is the current restart command value. */
  static Retirement retire(VersionState v, Instant now, Duration scaleDownDelay, String restart) {
    Bookkeeping kept = bookkeeping(v);
    if (!v.bookkeeping().served() || v.specReplicas() == 0) {
      return new Retirement(new DesiredVersion(v.hash(), v.revision(), 0, kept, restart),
          Optional.empty(), Optional.empty());
    }
    Instant at = v.bookkeeping().scaleDownAt().orElse(now.plus(scaleDownDelay));
    Bookkeeping ann = kept.withScaleDownAt(at);
    if (now.isBefore(at)) {
      return new Retirement(new DesiredVersion(v.hash(), v.revision(), v.specReplicas(), ann,
          restart), Optional.of(at), Optional.empty());
    }
    return new Retirement(new DesiredVersion(v.hash(), v.revision(), 0, ann, restart),
        Optional.empty(), Optional.of(PlannedEvent.normal("ScaledDown", "Scaled down revision "
            + v.revision() + " after its rollback window.")));
  }

  /**
   * Retires every observed version this plan does not keep yet (neither live nor rolling in).
   *
   * @param held the size a strategy holds a version at instead (keeping its bookkeeping), if it
   *     must not retire yet
   */
  static void retireOthers(PlanBuilder plan, Function<VersionState, OptionalInt> held) {
    for (VersionState v : plan.snapshot().versions().values()) {
      if (plan.kept(v.hash()).isPresent()) {
        continue;
      }
      OptionalInt size = held.apply(v);
      if (size.isPresent()) {
        plan.keep(v.hash(), v.revision(), size.getAsInt(), bookkeeping(v));
      } else {
        Retirement r = retire(v, plan.now(), plan.app().scaleDownDelay(), plan.restart());
        plan.keep(r.desired());
        r.wakeAt().ifPresent(plan::wakeAt);
        r.event().ifPresent(plan::event);
      }
    }
  }

  /** The bookkeeping a retired version keeps: when it served, why it was aborted. */
  static Bookkeeping bookkeeping(VersionState v) {
    return Bookkeeping.NONE.withPromotedAt(v.bookkeeping().promotedAt())
        .withAborted(v.bookkeeping().aborted());
  }
}
