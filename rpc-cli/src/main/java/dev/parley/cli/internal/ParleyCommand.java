package dev.parley.cli.internal;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The root command: {@code parley} itself only names its subcommands. */
@Command(name = "parley",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    synopsisSubcommandLabel = "COMMAND",
    description = {
        "Calls the functions of Parley modules, plain or encrypted, from a shell.",
        "",
        "Exit status: 0 ok; 1 the server answered a JSON-RPC error; 2 a transport",
        "failure, a usage error, or another failure.",
        ""},
    subcommands = {KeygenCommand.class, DescribeCommand.class, CallCommand.class, CompletionCommand.class},
    footer = {"", "Run 'parley COMMAND --help' for a command's options. Documentation: docs/CLI.md."})
final class ParleyCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing command: keygen, describe, call or completion");
  }
}
