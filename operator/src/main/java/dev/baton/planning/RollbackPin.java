package dev.baton.planning;

/**
 * An undo in force: Baton runs an earlier revision instead of the spec's template, until the
 * spec's template changes. Recorded in {@code status.rollback}.
 *
 * @param revision the revision rolled back to
 * @param hash its hash
 * @param specHash the hash of spec.template when the undo was asked for
 */
public record RollbackPin(int revision, String hash, String specHash) {}
