package dev.baton.planning;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides which revision Baton should run: the spec's template, or an earlier revision while an
 * undo is in force. An undo lasts until spec.template changes, so a GitOps tool that applies a
 * new template rolls forward again, and one that re-applies the same template does not undo the
 * undo.
 */
public final class TargetResolver {

  /**
   * The outcome.
   *
   * @param target the revision to run
   * @param pin the undo in force after this reconcile, to record in status
   * @param consumeUndo the undo annotation's effect is recorded: remove it
   * @param event what to tell the user about an undo command, if anything
   */
  public record Resolution(Snapshot.Target target, Optional<RollbackPin> pin, boolean consumeUndo,
      Optional<PlannedEvent> event) {}

  private TargetResolver() {}

  /**
   * @param specTemplate the spec's pod template and its hash
   * @param stored the revisions in history
   * @param recordedPin the undo recorded in status, if any
   * @param undo the undo command's value, if the annotation is present
   * @param liveRevision the revision serving traffic, if known
   */
  public static Resolution resolve(Snapshot.Target specTemplate, List<StoredRevision> stored,
      Optional<RollbackPin> recordedPin, Optional<String> undo, Optional<Integer> liveRevision) {
    Optional<RollbackPin> pin = recordedPin
        .filter(p -> p.specHash().equals(specTemplate.hash()))
        .filter(p -> find(stored, p.revision()).isPresent());
    boolean consume = false;
    Optional<PlannedEvent> event = Optional.empty();
    if (undo.isPresent() && pin.isPresent() && undo.get().equals(pin.get().request())) {
      // This very request is in force already (a reconcile before Baton removed the annotation;
      // "previous" would now resolve against the revision it rolled back to).
      consume = true;
    } else if (undo.isPresent()) {
      Optional<Integer> wanted = requested(undo.get(), stored, liveRevision);
      Optional<StoredRevision> found = wanted.flatMap(n -> find(stored, n));
      if (found.isEmpty()) {
        consume = true;
        event = Optional.of(PlannedEvent.warning("UndoFailed", "Cannot undo to "
            + (undo.get().isBlank() ? "the previous revision" : "revision " + undo.get())
            + ": history holds revisions " + stored.stream()
                .map(r -> Integer.toString(r.revision())).collect(Collectors.joining(", "))
            + "."));
      } else if (found.get().hash().equals(specTemplate.hash())) {
        pin = Optional.empty();
        consume = true;
      } else {
        StoredRevision r = found.get();
        pin = Optional.of(new RollbackPin(r.revision(), r.hash(), specTemplate.hash(),
            undo.get()));
        event = Optional.of(PlannedEvent.normal("RollbackStarted", "Rolling back to revision "
            + r.revision() + "; it runs until spec.template changes."));
      }
    }
    Snapshot.Target target = pin
        .flatMap(p -> find(stored, p.revision()))
        .map(r -> new Snapshot.Target(r.hash(), r.template()))
        .orElse(specTemplate);
    return new Resolution(target, pin, consume, event);
  }

  /** "" or "previous" is the newest stored revision below the live one. */
  private static Optional<Integer> requested(String value, List<StoredRevision> stored,
      Optional<Integer> live) {
    String v = value.trim();
    if (v.isEmpty() || v.equals("previous")) {
      return live.flatMap(l -> stored.stream()
          .map(StoredRevision::revision)
          .filter(n -> n < l)
          .max(Comparator.naturalOrder()));
    }
    try {
      return Optional.of(Integer.parseInt(v));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Optional<StoredRevision> find(List<StoredRevision> stored, int revision) {
    return stored.stream().filter(r -> r.revision() == revision).findFirst();
  }
}
