package dev.baton.planning;

import dev.baton.api.v1alpha1.BatonAppStatus;
import dev.baton.api.v1alpha1.RevisionRecord;
import dev.baton.api.v1alpha1.RollbackStatus;
import dev.baton.planning.Plan.ConditionState;
import dev.baton.planning.Plan.Outcome;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds the status to write from a plan's outcome and the previous status: conditions keep their
 * lastTransitionTime unless their status flips, and the revision history is kept short.
 */
public final class StatusPlanner {

  /** Entries kept in {@code status.history}. */
  static final int HISTORY_LIMIT = 10;

  private StatusPlanner() {}

  /**
   * The status after this plan.
   *
   * @param previous the status read with the BatonApp (may be null)
   * @param labelSelector the selector of the app's pods, for the scale subresource
   */
  public static BatonAppStatus next(Snapshot s, Plan plan, BatonAppStatus previous,
      String labelSelector) {
    return next(s, SwitchRecord.apply(s, previous, plan), previous, labelSelector);
  }

  /**
   * The status after this plan, with the switch record applied ({@link SwitchRecord}): a switch
   * written in this reconcile is recorded as done (its Service is written before this status), and
   * so is one found done but not recorded.
   */
  public static BatonAppStatus next(Snapshot s, SwitchRecord.Result switched,
      BatonAppStatus previous, String labelSelector) {
    Plan plan = switched.plan();
    BatonAppStatus prev = previous != null ? previous : new BatonAppStatus();
    Outcome out = plan.outcome();
    BatonAppStatus st = new BatonAppStatus();
    st.observedGeneration = s.app().generation();
    st.phase = out.phase();
    st.message = out.message();
    st.conditions = conditions(prev.conditions, out.conditions(), s);
    // The rolling strategy's one Deployment runs whichever revision is live or rolling in.
    String live = out.liveHash().map(h -> RollingRevisions.revisionHashOf(s, h)).orElse(null);
    String preview = out.previewHash().orElse(null);
    VersionState liveState = RollingRevisions.stateOf(s, out.liveHash().orElse(null));
    VersionState previewState = RollingRevisions.stateOf(s, preview);
    st.activeHash = live;
    st.activeRevision = live == null ? null : revision(s, live);
    st.previewHash = preview;
    st.previewRevision = preview == null ? null : revision(s, preview);
    int ready = liveState == null ? 0 : liveState.readyReplicas();
    st.replicas = liveState == null ? 0 : liveState.specReplicas();
    st.readyReplicas = ready;
    st.availableReplicas = liveState == null ? 0 : liveState.availableReplicas();
    st.previewReadyReplicas = previewState == null || previewState == liveState ? null
        : previewState.readyReplicas();
    st.ready = ready + "/" + s.app().replicas();
    st.selector = labelSelector;
    st.currentStep = plan.traffic().currentStep().orElse(null);
    st.trafficWeight = plan.traffic().reportedWeight();
    st.history = history(prev.history, s, plan, switched);
    st.analysis = plan.holdChildren() ? prev.analysis
        : plan.analysis().status().map(l -> l.isEmpty() ? null : l).orElse(prev.analysis);
    if (plan.holdChildren()) {
      // Nothing is acted on: the record stays as it was.
      st.rollout = prev.rollout;
      st.retiring = prev.retiring;
    } else {
      st.rollout = RolloutRecord.rolloutOf(s, plan);
      st.rollout.activeSelects = switched.selects().orElse(null);
      st.retiring = RolloutRecord.retiringOf(s, plan);
    }
    st.rollback = plan.pin().map(p -> {
      RollbackStatus r = new RollbackStatus();
      r.revision = p.revision();
      r.hash = p.hash();
      r.specHash = p.specHash();
      r.request = p.request();
      return r;
    }).orElse(null);
    return st;
  }

  private static int revision(Snapshot s, String hash) {
    return s.revisionOf(hash);
  }

  private static List<Condition> conditions(List<Condition> previous, List<ConditionState> next,
      Snapshot s) {
    List<Condition> result = new ArrayList<>();
    List<Condition> prev = previous != null ? previous : List.of();
    for (ConditionState c : next) {
      Optional<Condition> old = prev.stream().filter(p -> p.getType().equals(c.type())).findFirst();
      String status = c.status() ? "True" : "False";
      String since = old.filter(o -> status.equals(o.getStatus()))
          .map(Condition::getLastTransitionTime)
          .orElse(s.now().toString());
      Condition cond = new Condition();
      cond.setType(c.type());
      cond.setStatus(status);
      cond.setReason(c.reason());
      cond.setMessage(c.message());
      cond.setLastTransitionTime(since);
      cond.setObservedGeneration(s.app().generation());
      result.add(cond);
    }
    // A condition type this plan did not mention keeps its last value, except InvalidSpec,
    // which clears as soon as a spec is acted on again.
    for (Condition p : prev) {
      boolean mentioned = next.stream().anyMatch(c -> c.type().equals(p.getType()));
      if (!mentioned) {
        if (p.getType().equals(BlueGreenPlanner.INVALID_SPEC)) {
          if ("True".equals(p.getStatus())) {
            Condition cleared = new Condition();
            cleared.setType(p.getType());
            cleared.setStatus("False");
            cleared.setReason("Valid");
            cleared.setMessage("The spec is valid.");
            cleared.setLastTransitionTime(s.now().toString());
            cleared.setObservedGeneration(s.app().generation());
            result.add(cleared);
          } else {
            result.add(p);
          }
        } else {
          result.add(p);
        }
      }
    }
    result.sort(Comparator.comparing(Condition::getType));
    return result;
  }

  private static List<RevisionRecord> history(List<RevisionRecord> previous, Snapshot s,
      Plan plan, SwitchRecord.Result switched) {
    Outcome out = plan.outcome();
    List<RevisionRecord> list = new ArrayList<>();
    if (previous != null) {
      for (RevisionRecord r : previous) {
        list.add(copy(r));
      }
    }
    if (plan.holdChildren()) {
      return list;
    }
    String now = s.now().toString();
    String target = plan.target().hash();
    RevisionRecord rec = list.stream().filter(r -> target.equals(r.hash)).findFirst()
        .orElse(null);
    if (rec == null && out.liveHash().isPresent()) {
      rec = new RevisionRecord();
      rec.revision = revision(s, target);
      rec.hash = target;
      rec.images = images(plan.target().template());
      rec.createdAt = now;
      list.add(rec);
    }
    Optional<String> promotedNow = out.promotedHash();
    Optional<SwitchRecord.Completed> completed = switched.completed();
    if (completed.isPresent()) {
      String hash = completed.get().hash();
      list.stream().filter(r -> hash.equals(r.hash)).findFirst().ifPresent(r -> {
        r.promotedAt = completed.get().at().toString();
        r.abortedAt = null;
        r.reason = "Promoted";
      });
    }
    if (rec != null) {
      boolean liveIsTarget = out.liveHash().map(target::equals).orElse(false);
      boolean justCompleted = completed.map(c -> target.equals(c.hash())).orElse(false);
      if (!justCompleted && (promotedNow.map(target::equals).orElse(false)
          || (liveIsTarget && rec.promotedAt == null && isAvailable(s, target)))) {
        rec.promotedAt = now;
        rec.abortedAt = null;
        rec.reason = promotedNow.isPresent() ? "Promoted" : "Deployed";
      }
      if (out.abortedHash().map(target::equals).orElse(false)) {
        rec.abortedAt = now;
        rec.reason = out.abortReason();
      }
    }
    list.sort(Comparator.comparing((RevisionRecord r) -> r.revision,
        Comparator.nullsLast(Comparator.reverseOrder())));
    return list.size() > HISTORY_LIMIT ? new ArrayList<>(list.subList(0, HISTORY_LIMIT)) : list;
  }

  private static boolean isAvailable(Snapshot s, String hash) {
    VersionState v = RollingRevisions.stateOf(s, hash);
    return v != null && v.isAvailableAt(s.app().replicas());
  }

  private static List<String> images(PodTemplateSpec template) {
    if (template == null || template.getSpec() == null) {
      return List.of();
    }
    return template.getSpec().getContainers().stream().map(Container::getImage)
        .filter(Objects::nonNull).toList();
  }

  private static RevisionRecord copy(RevisionRecord r) {
    RevisionRecord c = new RevisionRecord();
    c.revision = r.revision;
    c.hash = r.hash;
    c.images = r.images == null ? new ArrayList<>() : new ArrayList<>(r.images);
    c.createdAt = r.createdAt;
    c.promotedAt = r.promotedAt;
    c.abortedAt = r.abortedAt;
    c.reason = r.reason;
    return c;
  }

}
