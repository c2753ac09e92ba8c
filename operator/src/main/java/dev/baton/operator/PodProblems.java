package dev.baton.operator;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Says in one sentence why a version's pods are not ready: crash-looping, image pull failures,
 * unschedulable, or failing their readiness probe. Used in conditions and abort messages.
 */
final class PodProblems {

  private static final int MAX_NAMED = 3;

  private PodProblems() {}

  static String summarise(Collection<Pod> pods) {
    List<String> problems = new ArrayList<>();
    pods.stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .forEach(p -> {
          String why = problem(p);
          if (why != null) {
            problems.add(p.getMetadata().getName() + " (" + why + ")");
          }
        });
    if (problems.isEmpty()) {
      return "";
    }
    String named = String.join(", ", problems.subList(0, Math.min(MAX_NAMED, problems.size())));
    int more = problems.size() - MAX_NAMED;
    return "Pods not ready: " + named + (more > 0 ? " and " + more + " more" : "") + ".";
  }

  /** Why one pod is not ready, or null when it is. */
  static String problem(Pod pod) {
    if (pod.getStatus() == null) {
      return "no status yet";
    }
    List<PodCondition> conditions = Objects.requireNonNullElse(pod.getStatus().getConditions(),
        List.of());
    boolean ready = conditions.stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    if (ready) {
      return null;
    }
    for (ContainerStatus cs : Objects.requireNonNullElse(pod.getStatus().getContainerStatuses(),
        List.<ContainerStatus>of())) {
      if (cs.getState() != null && cs.getState().getWaiting() != null
          && cs.getState().getWaiting().getReason() != null) {
        String reason = cs.getState().getWaiting().getReason();
        int restarts = cs.getRestartCount() == null ? 0 : cs.getRestartCount();
        return reason + (restarts > 0 ? ", " + restarts + " restarts" : "")
            + " in container " + cs.getName();
      }
    }
    return conditions.stream()
        .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
        .findFirst()
        .map(c -> "not scheduled: " + Objects.requireNonNullElse(c.getReason(), "pending"))
        .orElse("Running".equals(pod.getStatus().getPhase())
            ? "readiness probe failing" : "phase " + pod.getStatus().getPhase());
  }
}
