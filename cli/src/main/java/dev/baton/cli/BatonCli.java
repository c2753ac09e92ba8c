package dev.baton.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl baton}: looks at BatonApps and gives them the manual commands of Baton's README
 * (annotations the operator acts on). Exit code 0 on success, 1 on any error.
 */
@Command(name = "kubectl baton", mixinStandardHelpOptions = true, version = "kubectl baton 0.1.0",
    description = "Inspect Baton's apps and promote, abort, retry, undo, pause, resume or "
        + "restart them.",
    subcommands = {ListCommand.class, GetCommand.class, ManualCommands.Promote.class,
        ManualCommands.Abort.class, ManualCommands.Retry.class, ManualCommands.Undo.class,
        ManualCommands.Pause.class, ManualCommands.Resume.class, ManualCommands.Restart.class})
public final class BatonCli implements Runnable {

  @Mixin
  KubeOptions kube;

  @Spec
  CommandLine.Model.CommandSpec spec;

  /** Set by {@link #main} on a terminal: {@code get --watch} then redraws instead of appending. */
  static volatile boolean interactive;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Entry point of the {@code kubectl-baton} launcher. */
  public static void main(String[] args) {
    // Before any logger exists: ours, not the operator's logback.xml from the baton-operator jar.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "baton-cli-logback.xml");
    }
    Charset charset = Charset.defaultCharset();
    PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, charset), true);
    PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, charset), true);
    interactive = System.console() != null;
    System.exit(run(out, err, args));
  }

  /** The command line with its error handling, writing to the given streams (tests pass theirs). */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new BatonCli());
    cli.setOut(out);
    cli.setErr(err);
    // One exit code for every error, usage errors included: scripts test for 0 or not.
    cli.setParameterExceptionHandler((e, args) -> {
      err.println("error: " + e.getMessage());
      err.println("hint: see " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help");
      err.flush();
      return 1;
    });
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof CliException c) {
        err.println("error: " + c.getMessage());
        if (c.hint() != null) {
          err.println("hint: " + c.hint());
        }
      } else {
        err.println("error: " + e);
      }
      err.flush();
      return 1;
    });
    return cli;
  }

  /** Runs one command to the end; returns its exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    try {
      return commandLine(out, err).execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }
}
