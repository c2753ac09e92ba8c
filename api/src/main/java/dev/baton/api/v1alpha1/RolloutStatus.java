package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The rollout towards the target revision, as Baton records it between reconciles: the one store
 * of its bookkeeping (step, timers, promotion, abort). Written with the rest of the status, before
 * any child object, so a reconcile that stops half way is resumed from here.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutStatus {

  @JsonPropertyDescription("Pod-template hash of the revision Baton rolls towards (or serves).")
  public String targetHash;

  @JsonPropertyDescription("Its revision number.")
  public Integer targetRevision;

  @JsonPropertyDescription("Rolling strategy: hash of the last revision its Deployment rolled out "
      + "completely, which an abort goes back to.")
  public String stableHash;

  @JsonPropertyDescription("Index (from 0) of the step the target is at, in a stepped rollout.")
  public Integer step;

  @JsonPropertyDescription("The attempt at the target revision: 1, then one more for each retry. "
      + "Its analysis runs are keyed by it, so a retry starts with fresh counters.")
  public Integer attempt;

  @JsonPropertyDescription("When the current step's weight and pods were in place (RFC 3339): "
      + "its pause counts from then.")
  public String stepSince;

  @JsonPropertyDescription("When the target's current size was set (RFC 3339): the progress "
      + "deadline counts from then.")
  public String progressSince;

  @JsonPropertyDescription("When every preview pod of the target was first available (RFC 3339): "
      + "the promotion delay counts from then.")
  public String readySince;

  @JsonPropertyDescription("Promotion was decided (automatically or by a promote command): the "
      + "target scales to full size and takes the traffic.")
  public Boolean promoting;

  @JsonPropertyDescription("Rolling strategy: Baton paused the Deployment (spec.paused); the "
      + "progress deadline starts again on resume.")
  public Boolean paused;

  @JsonPropertyDescription("Set when the rollout of the target was aborted, until a retry or a "
      + "new revision.")
  public AbortStatus aborted;

  @JsonPropertyDescription("The baton.dev/revision-hash value the active Service selects once "
      + "the writes this status records are done (while a canary spans both versions, the "
      + "value of its baton.dev/stable-hash annotation): a revision's hash, or `rolling` for the "
      + "rolling strategy's one Deployment. Baton writes a switch of the active Service before "
      + "the status that records it; a Service found selecting another version than this is a "
      + "switch whose record was not written, and the next reconcile records it (history, "
      + "Event, notification) once.")
  public String activeSelects;

  @JsonPropertyDescription("Written by Baton releases before activeSelects, from just before "
      + "they moved the active Service until the reconcile that saw the move done recorded the "
      + "promotion. No longer written; one left by such a release is still completed.")
  public SwitchStatus switching;
}
