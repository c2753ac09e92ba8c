package dev.baton.planning;

import dev.baton.api.v1alpha1.AbortStatus;
import dev.baton.api.v1alpha1.BatonAppStatus;
import dev.baton.api.v1alpha1.RetiringVersion;
import dev.baton.api.v1alpha1.RevisionRecord;
import dev.baton.api.v1alpha1.RolloutStatus;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Translates between the typed record of the rollout in {@code status.rollout} and
 * {@code status.retiring} (the one store of the rollout's bookkeeping) and the per-version
 * bookkeeping the strategy planners read from {@link VersionState#annotations()} and write into
 * {@link DesiredVersion#annotations()} (keys from {@link Labels}). Deployments no longer carry any
 * of it: a bookkeeping change is a status write, never a Deployment write (which would bump the
 * Deployment's generation and cost a controller round trip).
 *
 * <p>Which versions served is derived, not stored: a version with a promotion in
 * {@code status.history}, one in {@code status.retiring}, and the rolling Deployment once it has
 * rolled a revision out completely ({@code status.rollout.stableHash}).
 */
public final class RolloutRecord {

  /** The value given to {@link Labels#PROMOTED_AT} of a version that served at an unknown time. */
  private static final String SERVED = "1970-01-01T00:00:00Z";

  private RolloutRecord() {}

  /** True when the status holds the record (Baton wrote the new layout at least once). */
  public static boolean isRecorded(BatonAppStatus status) {
    return status != null && status.rollout != null;
  }

  /**
   * The bookkeeping of each version from the status.
   *
   * @param hashes the {@link Labels#REVISION_HASH} of each Deployment that exists
   * @param rollingTemplate the revision in the rolling Deployment's pod template, if it exists
   */
  public static Map<String, Map<String, String>> bookkeeping(BatonAppStatus status,
      Collection<String> hashes, Optional<String> rollingTemplate) {
    RolloutStatus r = status.rollout;
    Map<String, Map<String, String>> result = new HashMap<>();
    for (String hash : hashes) {
      Map<String, String> m = new HashMap<>();
      if (Labels.ROLLING.equals(hash)) {
        if (r.stableHash != null) {
          m.put(Labels.STABLE_HASH, r.stableHash);
          m.put(Labels.PROMOTED_AT, promotedAt(status, r.stableHash).orElse(SERVED));
        }
        rollingTemplate.ifPresent(t -> m.put(Labels.TEMPLATE_HASH, t));
        put(m, Labels.ROLLOUT_TARGET, r.targetHash);
        put(m, Labels.PROGRESS_SINCE, r.progressSince);
        if (Boolean.TRUE.equals(r.paused)) {
          m.put(Labels.ROLLOUT_PAUSED, "true");
        }
        if (r.aborted != null) {
          m.put(Labels.ABORTED_HASH, r.targetHash);
          putAbort(m, r.aborted);
        }
      } else {
        promotedAt(status, hash).ifPresent(t -> m.put(Labels.PROMOTED_AT, t));
        if (hash.equals(r.targetHash)) {
          if (r.step != null) {
            m.put(Labels.STEP, Integer.toString(r.step));
          }
          put(m, Labels.STEP_SINCE, r.stepSince);
          if (r.attempt != null) {
            m.put(Labels.ATTEMPT, Integer.toString(r.attempt));
          }
          put(m, Labels.PROGRESS_SINCE, r.progressSince);
          put(m, Labels.READY_SINCE, r.readySince);
          if (Boolean.TRUE.equals(r.promoting)) {
            m.put(Labels.PROMOTING, "true");
          }
          if (r.aborted != null) {
            putAbort(m, r.aborted);
          }
        }
      }
      retiring(status, hash).ifPresent(at -> {
        m.put(Labels.SCALE_DOWN_AT, at);
        m.putIfAbsent(Labels.PROMOTED_AT, SERVED); // only a version that served has a window
      });
      result.put(hash, m);
    }
    return result;
  }

  /**
   * {@code status.rollout} after a plan: the bookkeeping the plan gives the target's version (the
   * rolling Deployment for the rolling strategy).
   */
  public static RolloutStatus rolloutOf(Snapshot s, Plan plan) {
    String target = plan.target().hash();
    String key = s.app().strategy() == AppSettings.Strategy.ROLLING ? Labels.ROLLING : target;
    Map<String, String> d = plan.versions().stream().filter(v -> v.hash().equals(key))
        .findFirst().map(DesiredVersion::annotations).orElse(Map.of());
    RolloutStatus r = new RolloutStatus();
    r.targetHash = target;
    r.targetRevision = s.revisionOf(target);
    r.stableHash = Labels.ROLLING.equals(key) ? d.get(Labels.STABLE_HASH) : null;
    r.step = d.containsKey(Labels.STEP) ? Integer.valueOf(d.get(Labels.STEP)) : null;
    r.stepSince = d.get(Labels.STEP_SINCE);
    r.attempt = d.containsKey(Labels.ATTEMPT) ? Integer.valueOf(d.get(Labels.ATTEMPT)) : null;
    r.progressSince = d.get(Labels.PROGRESS_SINCE);
    r.readySince = d.get(Labels.READY_SINCE);
    r.promoting = d.containsKey(Labels.PROMOTING) ? Boolean.TRUE : null;
    r.paused = d.containsKey(Labels.ROLLOUT_PAUSED) ? Boolean.TRUE : null;
    boolean abortedHere = !Labels.ROLLING.equals(key)
        || target.equals(d.get(Labels.ABORTED_HASH));
    if (d.containsKey(Labels.ABORTED) && abortedHere) {
      AbortStatus a = new AbortStatus();
      a.reason = d.get(Labels.ABORTED);
      a.message = d.get(Labels.ABORTED_MESSAGE);
      a.at = d.get(Labels.ABORTED_AT);
      r.aborted = a;
    }
    return r;
  }

  /** {@code status.retiring} after a plan: each kept version whose rollback window runs. */
  public static List<RetiringVersion> retiringOf(Plan plan) {
    List<RetiringVersion> list = plan.versions().stream()
        .filter(v -> v.annotations().containsKey(Labels.SCALE_DOWN_AT))
        .sorted(Comparator.comparing(DesiredVersion::hash))
        .map(v -> {
          RetiringVersion e = new RetiringVersion();
          e.hash = v.hash();
          e.scaleDownAt = v.annotations().get(Labels.SCALE_DOWN_AT);
          return e;
        })
        .toList();
    return list.isEmpty() ? null : list;
  }

  /** The revision the rolling Deployment serves, by the record. */
  public static Optional<String> rollingStable(BatonAppStatus status) {
    return isRecorded(status) ? Optional.ofNullable(status.rollout.stableHash) : Optional.empty();
  }

  private static Optional<String> promotedAt(BatonAppStatus status, String hash) {
    List<RevisionRecord> history = status.history == null ? List.of() : status.history;
    return history.stream().filter(h -> hash.equals(h.hash) && h.promotedAt != null)
        .map(h -> h.promotedAt).filter(Objects::nonNull).findFirst();
  }

  private static Optional<String> retiring(BatonAppStatus status, String hash) {
    return status.retiring == null ? Optional.empty() : status.retiring.stream()
        .filter(e -> hash.equals(e.hash) && e.scaleDownAt != null)
        .map(e -> e.scaleDownAt).findFirst();
  }

  private static void putAbort(Map<String, String> m, AbortStatus a) {
    put(m, Labels.ABORTED, a.reason == null ? "Aborted" : a.reason);
    put(m, Labels.ABORTED_MESSAGE, a.message);
    put(m, Labels.ABORTED_AT, a.at);
  }

  private static void put(Map<String, String> m, String key, String value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
