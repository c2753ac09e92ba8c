/**
 * What Baton observes: the informer caches of the app's children (pruned to what a reconcile
 * reads), the update filters that decide which changes wake a reconcile, and the readers that turn
 * the caches into the pure {@link dev.baton.planning.Snapshot} the planners decide from. Nothing
 * here writes to the cluster, except the dry-run admission check of a new pod template.
 */
package dev.baton.observe;
