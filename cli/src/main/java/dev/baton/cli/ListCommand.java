package dev.baton.cli;

import dev.baton.api.v1alpha1.BatonApp;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code kubectl baton list}: the BatonApps of the namespace, or of all with {@code -A}. */
@Command(name = "list", aliases = "ls", description = "List BatonApps: phase, active and preview "
    + "revision, ready pods, age.")
final class ListCommand implements Runnable {

  @ParentCommand
  BatonCli parent;

  @Option(names = {"-A", "--all-namespaces"}, description = "List the apps of every namespace.")
  boolean allNamespaces;

  @Override
  public void run() {
    try (KubeOptions.Connection connection = parent.kube.connect()) {
      AppAccess apps = new AppAccess(connection);
      List<BatonApp> found = apps.list(allNamespaces);
      var out = parent.spec.commandLine().getOut();
      if (found.isEmpty()) {
        // kubectl says this on stderr, so that scripts reading stdout see an empty table.
        parent.spec.commandLine().getErr().println(allNamespaces
            ? "No BatonApps found." : "No BatonApps found in " + apps.namespace() + " namespace.");
        return;
      }
      out.print(AppTable.render(found, allNamespaces, Instant.now()));
    }
  }
}
