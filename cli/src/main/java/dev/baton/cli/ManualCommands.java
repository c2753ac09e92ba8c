package dev.baton.cli;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.RevisionRecord;
import dev.baton.api.CommandAnnotations;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The manual commands: each one sets or removes one of the annotations of {@link Commands}, which
 * the operator acts on (see the README's "Manual commands"). {@link #change} is pure: it decides
 * the annotations from the app as read, and refuses a command that cannot do anything.
 */
public final class ManualCommands {

  private ManualCommands() {}

  /**
   * What a command writes and says.
   *
   * @param annotations annotations to set; a null value removes the annotation
   * @param message what to tell the user once written
   */
  public record Change(Map<String, String> annotations, String message) {
    static Change set(String key, String value, String message) {
      return new Change(Map.of(key, value), message);
    }

    static Change remove(String key, String message) {
      Map<String, String> m = new HashMap<>();
      m.put(key, null);
      return new Change(m, message);
    }
  }

  /** The shared part: which app, how to connect, read, decide, write, report. */
  abstract static class ManualCommand implements Runnable {

    @ParentCommand
    BatonCli parent;

    @Parameters(index = "0", paramLabel = "NAME", description = "The BatonApp.")
    String name;

    /** Decides the change from the app as read now; throws {@link CliException} to refuse. */
    abstract Change change(BatonApp app, Instant now);

    @Override
    public void run() {
      try (KubeOptions.Connection connection = parent.kube.connect()) {
        AppAccess apps = new AppAccess(connection);
        Change change = change(apps.get(name), Instant.now());
        apps.annotate(name, change.annotations());
        parent.spec.commandLine().getOut().println("batonapp.baton.dev/" + name + " "
            + change.message());
      }
    }
  }

  /** True when status describes the current spec: otherwise a rollout may not show yet. */
  static boolean statusIsCurrent(BatonApp app) {
    return app.getStatus() != null && app.getStatus().observedGeneration != null
        && app.getStatus().observedGeneration.equals(app.getMetadata().getGeneration());
  }

  static boolean hasPreview(BatonApp app) {
    return app.getStatus() != null && app.getStatus().previewRevision != null;
  }

  static String name(BatonApp app) {
    return app.getMetadata().getName();
  }

  @Command(name = "promote", description = {
      "Switch traffic to the waiting new version (it is scaled to full size and must be Ready "
          + "first), or move a canary or stepped blue/green on by one step. Sets "
          + "baton.dev/promote.",
      "--full skips every remaining step (baton.dev/promote=full)."})
  static final class Promote extends ManualCommand {
    @Option(names = "--full", description = "Skip every remaining step and go to 100%%.")
    boolean full;

    @Override
    Change change(BatonApp app, Instant now) {
      if (!hasPreview(app) && statusIsCurrent(app)) {
        throw new CliException(name(app) + " has no new revision waiting to be promoted (phase "
            + app.getStatus().phase + ", active revision " + app.getStatus().activeRevision + ")",
            "change spec.template to start a rollout; see it with: kubectl baton get " + name(app));
      }
      return Change.set(CommandAnnotations.PROMOTE, full ? "full" : "",
          full ? "full promotion requested" : "promotion requested");
    }
  }

  @Command(name = "abort", description = "Stop the rollout: the new version goes to zero, the "
      + "live one keeps serving. Sets baton.dev/abort.")
  static final class Abort extends ManualCommand {
    @Override
    Change change(BatonApp app, Instant now) {
      if (!hasPreview(app) && statusIsCurrent(app)) {
        throw new CliException(name(app) + " has no rollout to abort (phase "
            + app.getStatus().phase + ")");
      }
      return Change.set(CommandAnnotations.ABORT, "", "abort requested");
    }
  }

  @Command(name = "retry", description = "Roll out an aborted revision again. Sets "
      + "baton.dev/retry.")
  static final class Retry extends ManualCommand {
    @Override
    Change change(BatonApp app, Instant now) {
      return Change.set(CommandAnnotations.RETRY, "", "retry requested");
    }
  }

  @Command(name = "undo", description = {"Roll back to the revision before the live one, or to "
      + "--to-revision N (from history, also after its Deployment is gone). Sets baton.dev/undo.",
      "The undo lasts until spec.template changes."})
  static final class Undo extends ManualCommand {
    @Option(names = "--to-revision", paramLabel = "N", description = "Revision to roll back to.")
    Integer toRevision;

    @Override
    Change change(BatonApp app, Instant now) {
      if (toRevision == null) {
        return Change.set(CommandAnnotations.UNDO, "", "undo to the previous revision requested");
      }
      var history = app.getStatus() == null ? java.util.List.<RevisionRecord>of()
          : app.getStatus().history;
      boolean known = history.stream().anyMatch(r -> toRevision.equals(r.revision));
      if (!history.isEmpty() && !known) {
        throw new CliException("revision " + toRevision + " is not in the history of "
            + name(app) + " (known: " + history.stream().map(r -> r.revision)
                .filter(Objects::nonNull).map(String::valueOf).collect(Collectors.joining(", "))
            + ")", "see the history with: kubectl baton get " + name(app));
      }
      return Change.set(CommandAnnotations.UNDO, Integer.toString(toRevision),
          "undo to revision " + toRevision + " requested");
    }
  }

  @Command(name = "pause", description = "Start no new rollout step until resumed. Sets "
      + "baton.dev/paused=true.")
  static final class Pause extends ManualCommand {
    @Override
    Change change(BatonApp app, Instant now) {
      return Change.set(CommandAnnotations.PAUSED, "true", "paused");
    }
  }

  @Command(name = "resume", description = "Undo a pause. Removes baton.dev/paused.")
  static final class Resume extends ManualCommand {
    @Override
    Change change(BatonApp app, Instant now) {
      String note = Boolean.TRUE.equals(app.getSpec().paused)
          ? " (note: spec.paused is true, so it stays paused until spec.paused is false)" : "";
      return Change.remove(CommandAnnotations.PAUSED, "resumed" + note);
    }
  }

  @Command(name = "restart", description = "Restart the live pods (rolling, never below full "
      + "size), as kubectl rollout restart does. Sets baton.dev/restart to the current time.")
  static final class Restart extends ManualCommand {
    @Override
    Change change(BatonApp app, Instant now) {
      return Change.set(CommandAnnotations.RESTART, now.truncatedTo(ChronoUnit.MILLIS).toString(),
          "restart requested");
    }
  }
}
