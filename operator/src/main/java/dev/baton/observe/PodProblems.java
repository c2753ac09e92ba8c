package dev.baton.observe;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.time.Duration;
import java.time.Instant;

/**
 * Says in one sentence why a version's pods are not ready: crash-looping, image pull failures,
 * unschedulable, or failing their readiness probe. Used in conditions and abort messages.
 *
 * <p>A pod that is merely starting (no status yet, Pending, ContainerCreating, running but not
 * ready yet) is named only once it has been starting for a grace period (30 s, or half the
 * progress deadline when that is shorter, so an abort message names it): every pod of
 * every rollout passes through those states, and naming them made the status message, and so the
 * status, change several times per pod (at a thousand apps rolling out, most of Baton's status
 * writes). A pod in an error state (a waiting reason such as CrashLoopBackOff or ErrImagePull, or
 * unschedulable) is named at once.
 */
public final class PodProblems {

  private static final int MAX_NAMED = 3;
  /** How long a pod may be starting before it is named as a problem, at most. */
  static final Duration STARTING_GRACE = Duration.ofSeconds(30);
  /** Waiting reasons of a container that is starting normally. */
  private static final Set<String> STARTING = Set.of("ContainerCreating", "PodInitializing");

  private PodProblems() {}

  /**
   * The sentence for {@code pods} at {@code now}; empty when none is worth naming.
   *
   * @param progressDeadline the app's; a shorter one shortens the grace of a starting pod
   */
  public static String summarise(Collection<Pod> pods, Instant now, Duration progressDeadline) {
    Duration grace = progressDeadline.dividedBy(2).compareTo(STARTING_GRACE) < 0
        ? progressDeadline.dividedBy(2) : STARTING_GRACE;
    List<String> problems = new ArrayList<>();
    pods.stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .forEach(p -> {
          String why = problem(p);
          if (why != null && (isError(p) || startingSince(p).plus(grace)
              .compareTo(now) <= 0)) {
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

  /** True for a container waiting reason that every start passes through. */
  public static boolean isNormalStart(String waitingReason) {
    return waitingReason != null && STARTING.contains(waitingReason);
  }

  /** A not-ready pod in a state that will not pass by itself. */
  private static boolean isError(Pod pod) {
    if (pod.getStatus() == null) {
      return false;
    }
    boolean waitingOnError = Objects.requireNonNullElse(pod.getStatus().getContainerStatuses(),
        List.<ContainerStatus>of()).stream().anyMatch(cs ->
            cs.getState() != null && cs.getState().getWaiting() != null
                && cs.getState().getWaiting().getReason() != null
                && !STARTING.contains(cs.getState().getWaiting().getReason())
            || cs.getRestartCount() != null && cs.getRestartCount() > 0);
    boolean unschedulable = Objects.requireNonNullElse(pod.getStatus().getConditions(),
        List.<PodCondition>of()).stream()
        .anyMatch(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()));
    return waitingOnError || unschedulable;
  }

  private static Instant startingSince(Pod pod) {
    String created = pod.getMetadata().getCreationTimestamp();
    return created == null ? Instant.MIN : Instant.parse(created);
  }

  /** Why one pod is not ready, or null when it is. */
  public static String problem(Pod pod) {
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
