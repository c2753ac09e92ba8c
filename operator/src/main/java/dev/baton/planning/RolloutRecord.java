package dev.baton.planning;

import dev.baton.api.ObjectNames;
import dev.baton.api.v1alpha1.AbortStatus;
import dev.baton.api.v1alpha1.BatonAppStatus;
import dev.baton.api.v1alpha1.RetiringVersion;
import dev.baton.api.v1alpha1.RevisionRecord;
import dev.baton.api.v1alpha1.RolloutStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Translates between the typed record of the rollout in {@code status.rollout} and
 * {@code status.retiring} (the one store of the rollout's bookkeeping) and the per-version
 * {@link Bookkeeping} the strategy planners read from {@link VersionState#bookkeeping()} and
 * decide in {@link DesiredVersion#bookkeeping()}. Deployments carry none of it: a bookkeeping
 * change is a status write, never a Deployment write (which would bump the Deployment's
 * generation and cost a controller round trip).
 *
 * <p>Which versions served is derived, not stored: a version with a promotion in
 * {@code status.history}, one in {@code status.retiring}, and the rolling Deployment once it has
 * rolled a revision out completely ({@code status.rollout.stableHash}).
 */
public final class RolloutRecord {

  private RolloutRecord() {}

  /** True when the status holds the record (Baton wrote the new layout at least once). */
  public static boolean isRecorded(BatonAppStatus status) {
    return status != null && status.rollout != null;
  }

  /**
   * The bookkeeping of each version from the status.
   *
   * @param app the app's name (its Deployments are named after it)
   * @param hashes the {@link Labels#REVISION_HASH} of each Deployment that exists
   * @param rollingTemplate the revision in the rolling Deployment's pod template, if it exists
   */
  public static Map<String, Bookkeeping> bookkeeping(BatonAppStatus status, String app,
      Collection<String> hashes, Optional<String> rollingTemplate) {
    RolloutStatus r = status.rollout;
    Map<String, Bookkeeping> result = new HashMap<>();
    for (String hash : hashes) {
      Bookkeeping b = Bookkeeping.NONE;
      if (Labels.ROLLING.equals(hash)) {
        if (r.stableHash != null) {
          b = b.withStableHash(r.stableHash)
              .withPromotedAt(promotedAt(status, r.stableHash).orElse(Instant.EPOCH));
        }
        b = b.withTemplateHash(rollingTemplate).withRolloutTarget(Optional.ofNullable(r.targetHash))
            .withAttempt(Optional.ofNullable(r.attempt))
            .withProgressSince(instant(r.progressSince)).withPaused(Boolean.TRUE.equals(r.paused));
        if (r.aborted != null) {
          b = b.withAbortedHash(Optional.ofNullable(r.targetHash)).withAborted(abort(r.aborted));
        }
      } else {
        b = b.withPromotedAt(promotedAt(status, hash));
        if (hash.equals(r.targetHash)) {
          b = b.withStep(Optional.ofNullable(r.step)).withStepSince(instant(r.stepSince))
              .withAttempt(Optional.ofNullable(r.attempt))
              .withProgressSince(instant(r.progressSince)).withReadySince(instant(r.readySince))
              .withPromoting(Boolean.TRUE.equals(r.promoting));
          if (r.aborted != null) {
            b = b.withAborted(abort(r.aborted));
          }
        }
      }
      Optional<Instant> scaleDownAt = retiring(status, app, hash);
      if (scaleDownAt.isPresent()) {
        // Only a version that served has a window: one that served at an unknown time still did.
        b = b.withScaleDownAt(scaleDownAt.get())
            .withPromotedAt(b.promotedAt().orElse(Instant.EPOCH));
      }
      result.put(hash, b);
    }
    return result;
  }

  /**
   * {@code status.rollout} after a plan: the bookkeeping the plan gives the target's version (the
   * rolling Deployment for the rolling strategy).
   */
  public static RolloutStatus rolloutOf(Snapshot s, Plan plan) {
    String target = plan.target().hash();
    boolean rolling = s.app().strategy() == AppSettings.Strategy.ROLLING;
    String key = rolling ? Labels.ROLLING : target;
    Bookkeeping d = plan.versions().stream().filter(v -> v.hash().equals(key))
        .findFirst().map(DesiredVersion::bookkeeping).orElse(Bookkeeping.NONE);
    RolloutStatus r = new RolloutStatus();
    r.targetHash = target;
    r.targetRevision = s.revisionOf(target);
    r.stableHash = rolling ? d.stableHash().orElse(null) : null;
    r.step = d.step().orElse(null);
    r.stepSince = text(d.stepSince());
    r.attempt = d.attempt().orElse(null);
    r.progressSince = text(d.progressSince());
    r.readySince = text(d.readySince());
    r.promoting = d.promoting() ? Boolean.TRUE : null;
    r.paused = d.paused() ? Boolean.TRUE : null;
    boolean abortedHere = !rolling || d.abortedHash().filter(target::equals).isPresent();
    if (d.aborted().isPresent() && abortedHere) {
      AbortStatus a = new AbortStatus();
      a.reason = d.aborted().get().reason();
      a.message = d.aborted().get().message();
      a.at = text(d.aborted().get().at());
      r.aborted = a;
    }
    return r;
  }

  /**
   * {@code status.retiring} after a plan: each kept version whose rollback window runs, named by
   * the revision it runs and the Deployment that keeps it (the rolling Deployment's slot key is
   * a role, not a revision, so it never reaches status as a hash).
   */
  public static List<RetiringVersion> retiringOf(Snapshot s, Plan plan) {
    List<RetiringVersion> list = plan.versions().stream()
        .filter(v -> v.bookkeeping().scaleDownAt().isPresent())
        .sorted(Comparator.comparing(DesiredVersion::hash))
        .map(v -> {
          RetiringVersion e = new RetiringVersion();
          e.hash = RollingRevisions.revisionHashOf(s, v.hash());
          e.deployment = ObjectNames.deploymentName(s.app().name(), v.hash());
          e.scaleDownAt = text(v.bookkeeping().scaleDownAt());
          return e;
        })
        .toList();
    return list.isEmpty() ? null : list;
  }

  /** The revision the rolling Deployment serves, by the record. */
  public static Optional<String> rollingStable(BatonAppStatus status) {
    return isRecorded(status) ? Optional.ofNullable(status.rollout.stableHash) : Optional.empty();
  }

  /**
   * A time as status (or an older Baton's annotation) holds it, RFC 3339; one that does not
   * parse (edited by hand) counts as absent, so a timer starts again rather than the reconcile
   * failing on every pass.
   */
  static Optional<Instant> instant(String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(value));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String text(Optional<Instant> t) {
    return t.map(Instant::toString).orElse(null);
  }

  private static Optional<Instant> promotedAt(BatonAppStatus status, String hash) {
    List<RevisionRecord> history = status.history == null ? List.of() : status.history;
    return history.stream().filter(h -> hash.equals(h.hash) && h.promotedAt != null)
        .map(h -> instant(h.promotedAt)).flatMap(Optional::stream).findFirst();
  }

  /**
   * The end of the rollback window of the Deployment keyed {@code hash}: the entry naming its
   * Deployment; an entry without one (written before entries named their Deployment) by its
   * hash, where the rolling Deployment's was {@link Labels#ROLLING}.
   */
  private static Optional<Instant> retiring(BatonAppStatus status, String app, String hash) {
    String deployment = ObjectNames.deploymentName(app, hash);
    return status.retiring == null ? Optional.empty() : status.retiring.stream()
        .filter(e -> e.deployment != null ? e.deployment.equals(deployment) : hash.equals(e.hash))
        .filter(e -> e.scaleDownAt != null)
        .map(e -> instant(e.scaleDownAt)).flatMap(Optional::stream).findFirst();
  }

  private static Optional<Bookkeeping.Abort> abort(AbortStatus a) {
    return Optional.of(new Bookkeeping.Abort(a.reason == null ? "Aborted" : a.reason, a.message,
        instant(a.at)));
  }
}
