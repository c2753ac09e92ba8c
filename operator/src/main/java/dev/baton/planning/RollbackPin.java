package dev.baton.planning;

/**
 * An undo in force: Baton runs an earlier revision instead of the spec's template, until the
 * spec's template changes. Recorded in {@code status.rollback}.
 *
 * @param revision the revision rolled back to
 * @param hash its hash
 * @param specHash the hash of spec.template when the undo was asked for
 * @param request the undo annotation's value that made this pin ("" for the previous revision),
 *     so that the same annotation, seen again before Baton removed it, is not resolved twice
 */
public record RollbackPin(int revision, String hash, String specHash, String request) {}
