package dev.baton.cli;

import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kubectl baton get NAME [--watch]}: the app as a tree, once or on every change. */
@Command(name = "get", description = "Show a BatonApp as a tree: phase, active and preview "
    + "version (Deployment, pod readiness), Services, conditions, undo in force, history.")
final class GetCommand implements Runnable {

  @ParentCommand
  BatonCli parent;

  @Parameters(index = "0", paramLabel = "NAME", description = "The BatonApp.")
  String name;

  @Option(names = {"-w", "--watch"}, description = "Print the tree again whenever the app, its "
      + "Deployments, Services or pods change, until Ctrl-C.")
  boolean watch;

  @Override
  public void run() {
    try (KubeOptions.Connection connection = parent.kube.connect()) {
      AppAccess apps = new AppAccess(connection);
      var app = apps.get(name);
      var out = parent.spec.commandLine().getOut();
      if (!watch) {
        out.print(AppTree.render(apps.call(name,
            () -> AppView.read(connection.client(), connection.namespace(), app)), Instant.now()));
        out.flush();
        return;
      }
      try (AppWatch w = new AppWatch(connection.client(), connection.namespace(), name)) {
        w.run(out, BatonCli.interactive);
      }
    }
  }
}
