package dev.baton.planning;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;

/**
 * A revision kept in history (as a ControllerRevision owned by the BatonApp), so that undo works
 * after the revision's Deployment is gone.
 *
 * @param revision the revision number
 * @param hash the revision hash
 * @param template the pod template as the user wrote it
 */
public record StoredRevision(int revision, String hash, PodTemplateSpec template) {}
