package dev.parley.cli.internal;

import dev.parley.cli.Parley;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/** Assembles the {@code parley} command line and runs it; {@link Parley} is its public face. */
public final class Cli {
  private Cli() {}

  /** Runs {@code args} and returns the exit status. */
  public static int execute(String... args) {
    CommandLine cli = commandLine();
    // JSON is UTF-8, whatever the platform's default charset (a C locale would mangle results).
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    cli.setOut(out).setErr(err);
    try {
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** The command tree with Parley's exit statuses and error reporting. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new ParleyCommand());
    cli.setExecutionExceptionHandler((e, command, parsed) -> Failures.report(e, command, Failures.verbose(parsed)));
    cli.setParameterExceptionHandler(Cli::usageError);
    cli.setExitCodeExceptionMapper(e -> Parley.FAILURE);
    return cli;
  }

  /** A usage error: what is wrong, a suggestion for a mistyped option, and where help is. */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println("parley: " + e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return Parley.FAILURE;
  }
}
