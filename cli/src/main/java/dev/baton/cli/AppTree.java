package dev.baton.cli;

import dev.baton.api.v1alpha1.AnalysisRunStatus;
import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.MetricRunStatus;
import dev.baton.api.v1alpha1.BatonAppStatus;
import dev.baton.api.v1alpha1.RevisionRecord;
import dev.baton.api.v1alpha1.RollbackStatus;
import dev.baton.cli.TreeText.Children;
import dev.baton.cli.TreeText.Node;
import dev.baton.api.ObjectNames;
import dev.baton.api.ObjectLabels;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The tree of {@code kubectl baton get}: the app, its live and new version (Deployment and pod
 * readiness), other versions still running, the Services, the conditions, the analysis runs
 * (each metric's state, last value and threshold), the undo in force and the revision history. A pure function of an {@link AppView}.
 */
public final class AppTree {

  private AppTree() {}

  public static String render(AppView view, Instant now) {
    return TreeText.render(tree(view, now));
  }

  /** Where traffic goes, as read back, and the step of a stepped rollout. */
  static String weight(BatonAppStatus s) {
    int w = s.trafficWeight == null ? 0 : s.trafficWeight;
    String step = s.currentStep == null ? "" : " (step " + (s.currentStep + 1) + ")";
    return w == 0 ? "weight: 100% active" + step
        : "weight: " + (100 - w) + "% active, " + w + "% preview" + step;
  }

  static Node tree(AppView view, Instant now) {
    BatonApp app = view.app();
    BatonAppStatus s = app.getStatus() != null ? app.getStatus() : new BatonAppStatus();
    String name = app.getMetadata().getName();
    Children c = new Children();
    c.leaf("phase: " + (s.phase == null ? "(not reconciled yet)" : s.phase)
        + (s.message == null ? "" : " - " + s.message));
    c.leaf(weight(s));
    c.add(version("active", s.activeRevision, s.activeHash, view, s));
    if (s.previewHash != null) {
      c.add(version("preview", s.previewRevision, s.previewHash, view, s));
    }
    for (Deployment d : view.deployments()) {
      String hash = hashOf(d);
      if (!runs(d, s.activeHash, s) && !runs(d, s.previewHash, s)) {
        c.add(version("other", revisionOf(d), hash, view, s));
      }
    }
    c.add(services(name, view, s));
    c.add(conditions(s));
    if (s.analysis != null && !s.analysis.isEmpty()) {
      c.add(analysis(s));
    }
    c.leaf("rollback: " + rollback(s.rollback));
    c.add(history(s));
    return Node.of("batonapp/" + name + " (namespace " + app.getMetadata().getNamespace() + ", "
        + Age.since(app.getMetadata().getCreationTimestamp(), now) + " old)", c.list());
  }

  private static Node version(String role, Integer revision, String hash, AppView view,
      BatonAppStatus s) {
    if (hash == null) {
      return Node.leaf(role + ": none");
    }
    Children c = new Children();
    Optional<Deployment> d = view.deployments().stream()
        .filter(x -> runs(x, hash, s)).findFirst();
    c.leaf("images: " + String.join(", ", images(hash, d, s)));
    if (d.isPresent()) {
      c.leaf("deployment/" + d.get().getMetadata().getName() + ": " + deploymentReady(d.get())
          + scaleDownNote(d.get(), s));
    } else {
      c.leaf("deployment/" + ObjectNames.deploymentName(view.app().getMetadata().getName(),
          hash) + ": not found");
    }
    c.leaf("pods: " + podCounts(hash, view.pods()));
    return Node.of(role + ": revision " + (revision == null ? "?" : revision) + ", hash " + hash,
        c.list());
  }

  private static List<String> images(String hash, Optional<Deployment> d, BatonAppStatus s) {
    if (d.isPresent() && d.get().getSpec() != null && d.get().getSpec().getTemplate() != null) {
      return d.get().getSpec().getTemplate().getSpec().getContainers().stream()
          .map(Container::getImage).toList();
    }
    return s.history.stream().filter(r -> hash.equals(r.hash)).findFirst()
        .map(r -> r.images).orElse(List.of("?"));
  }

  private static String deploymentReady(Deployment d) {
    int desired = d.getSpec() == null || d.getSpec().getReplicas() == null ? 0
        : d.getSpec().getReplicas();
    int ready = d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0
        : d.getStatus().getReadyReplicas();
    return ready + "/" + desired + " ready";
  }

  private static String scaleDownNote(Deployment d, BatonAppStatus s) {
    String hash = hashOf(d);
    String at = s.retiring == null ? null : s.retiring.stream()
        .filter(r -> r.deployment != null ? r.deployment.equals(d.getMetadata().getName())
            : r.hash != null && r.hash.equals(hash))
        .map(r -> r.scaleDownAt)
        .findFirst().orElse(null);
    Map<String, String> ann = d.getMetadata().getAnnotations();
    if (at == null && s.rollout == null && ann != null) {
      at = ann.get(ObjectLabels.Legacy.SCALE_DOWN_AT); // written by a Baton before status.retiring
    }
    return at == null ? "" : " (kept for undo until " + at + ")";
  }

  /** Ready and total pods of one version, leaving out pods already on their way out. */
  static String podCounts(String hash, List<Pod> pods) {
    // A rolling Deployment's pods tell their revision by template hash.
    List<Pod> mine = pods.stream().filter(p -> p.getMetadata().getLabels() != null
        && (hash.equals(p.getMetadata().getLabels().get(ObjectLabels.REVISION_HASH))
            || hash.equals(p.getMetadata().getLabels().get(ObjectLabels.TEMPLATE_HASH)))).toList();
    long terminating = mine.stream().filter(p -> p.getMetadata().getDeletionTimestamp() != null)
        .count();
    List<Pod> live = mine.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
    long ready = live.stream().filter(AppTree::isReady).count();
    return ready + "/" + live.size() + " ready"
        + (terminating > 0 ? ", " + terminating + " terminating" : "");
  }

  private static boolean isReady(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static Node services(String app, AppView view, BatonAppStatus s) {
    Children c = new Children();
    for (String name : List.of(ObjectNames.activeServiceName(app),
        ObjectNames.previewServiceName(app))) {
      Optional<Service> svc = view.services().stream()
          .filter(x -> name.equals(x.getMetadata().getName())).findFirst();
      if (svc.isEmpty()) {
        c.leaf("service/" + name + ": not found");
        continue;
      }
      String hash = svc.get().getSpec().getSelector() == null ? null
          : svc.get().getSpec().getSelector().get(ObjectLabels.REVISION_HASH);
      c.leaf("service/" + name + " -> " + ObjectLabels.REVISION_HASH + "=" + hash
          + whichRevision(hash, s));
    }
    return Node.of("services", c.list());
  }

  private static String whichRevision(String hash, BatonAppStatus s) {
    if (hash == null) {
      return "";
    }
    if (hash.equals(s.activeHash)) {
      return " (active, revision " + s.activeRevision + ")";
    }
    if (hash.equals(s.previewHash)) {
      return " (preview, revision " + s.previewRevision + ")";
    }
    return "";
  }

  private static Node conditions(BatonAppStatus s) {
    List<List<String>> rows = new ArrayList<>();
    for (Condition cond : s.conditions) {
      rows.add(List.of(cond.getType(), cond.getStatus(),
          cond.getReason() == null ? "" : cond.getReason(),
          cond.getMessage() == null ? "" : cond.getMessage()));
    }
    Children c = new Children();
    if (!rows.isEmpty()) {
      Columns.format(rows).lines().forEach(c::leaf);
    }
    return Node.of("conditions" + (rows.isEmpty() ? ": none" : ""), c.list());
  }

  /**
   * The analysis runs in status, newest first: each run's verdict and why, and each metric's
   * state, last value and threshold (what passes), with its counts.
   */
  private static Node analysis(BatonAppStatus s) {
    Children c = new Children();
    List<AnalysisRunStatus> runs = new ArrayList<>(s.analysis);
    java.util.Collections.reverse(runs);
    for (AnalysisRunStatus r : runs) {
      Children metrics = new Children();
      List<List<String>> rows = new ArrayList<>();
      for (MetricRunStatus m : r.metrics) {
        String last = m.measurements == null || m.measurements.isEmpty() ? "-"
            : Optional.ofNullable(m.measurements.get(m.measurements.size() - 1).value)
                .orElse(String.valueOf(m.measurements.get(m.measurements.size() - 1).phase));
        rows.add(List.of(m.name, String.valueOf(m.phase) + (Boolean.TRUE.equals(m.dryRun)
            ? " (dry run)" : ""), "last " + last, "passes " + (m.threshold == null ? "?"
            : m.threshold), counts(m)));
      }
      if (!rows.isEmpty()) {
        Columns.format(rows).lines().forEach(metrics::leaf);
      }
      c.add(Node.of("revision " + r.revision + ", attempt " + r.attempt + ", " + r.step + ": "
          + r.phase + (Boolean.TRUE.equals(r.overridden) ? " (accepted by a promote)" : "")
          + (r.message == null ? "" : " - " + r.message), metrics.list()));
    }
    return Node.of("analysis", c.list());
  }

  private static String counts(MetricRunStatus m) {
    return nz(m.successful) + " passed, " + nz(m.failed) + " failed, " + nz(m.inconclusive)
        + " inconclusive, " + nz(m.error) + " errors";
  }

  private static int nz(Integer i) {
    return i == null ? 0 : i;
  }

  private static String rollback(RollbackStatus r) {
    if (r == null || r.revision == null) {
      return "none";
    }
    return "pinned to revision " + r.revision + " (hash " + r.hash + ") until spec.template "
        + "changes";
  }

  private static Node history(BatonAppStatus s) {
    Children c = new Children();
    for (RevisionRecord r : s.history) {
      StringBuilder line = new StringBuilder("revision " + r.revision + ": "
          + String.join(", ", r.images));
      if (r.promotedAt != null) {
        line.append(", promoted ").append(r.promotedAt);
      }
      if (r.abortedAt != null) {
        line.append(", aborted ").append(r.abortedAt);
      }
      if (r.reason != null) {
        line.append(" (").append(r.reason).append(')');
      }
      c.leaf(line.toString());
    }
    return Node.of("history" + (s.history.isEmpty() ? ": none" : ""), c.list());
  }

  /**
   * Whether a Deployment runs a revision: its own per-revision Deployment, or the rolling
   * strategy's one Deployment, whose pod template names the revision it rolls in and whose
   * record ({@code status.rollout.stableHash}) names the one it last completed.
   */
  static boolean runs(Deployment d, String hash, BatonAppStatus s) {
    if (hash == null) {
      return false;
    }
    if (!ObjectLabels.ROLLING.equals(hashOf(d))) {
      return hash.equals(hashOf(d));
    }
    var template = d.getSpec() == null || d.getSpec().getTemplate() == null ? null
        : d.getSpec().getTemplate().getMetadata();
    String rollingIn = template == null || template.getLabels() == null ? null
        : template.getLabels().get(ObjectLabels.TEMPLATE_HASH);
    String stable = s.rollout == null ? null : s.rollout.stableHash;
    Map<String, String> ann = d.getMetadata().getAnnotations();
    if (stable == null && s.rollout == null && ann != null) {
      stable = ann.get(ObjectLabels.STABLE_HASH); // written by a Baton before status.rollout
    }
    return hash.equals(ObjectLabels.ROLLING) || hash.equals(rollingIn) || hash.equals(stable);
  }

  private static String hashOf(Deployment d) {
    Map<String, String> labels = d.getMetadata().getLabels();
    return labels == null ? null : labels.get(ObjectLabels.REVISION_HASH);
  }

  private static Integer revisionOf(Deployment d) {
    Map<String, String> labels = d.getMetadata().getLabels();
    Map<String, String> ann = d.getMetadata().getAnnotations();
    String rev = labels == null ? null : labels.get(ObjectLabels.REVISION);
    if (rev == null && ann != null) {
      rev = ann.get(ObjectLabels.REVISION); // written by a Baton before the label
    }
    try {
      return rev == null ? null : Integer.valueOf(rev);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
