package dev.parley.cli.internal;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Prints the bash/zsh completion script for {@code parley}. The build writes the same script to
 * {@code rpc-cli/target/parley_completion.bash}.
 */
@Command(name = "completion",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
        "Prints the completion script for bash and zsh (one script serves both).",
        "",
        "Load it into the current shell:   source <(parley completion)",
        "or keep it and load it from ~/.bashrc or ~/.zshrc:",
        "  parley completion > ~/.parley_completion.bash",
        "  echo 'source ~/.parley_completion.bash' >> ~/.bashrc",
        "",
        "'parley' must be a command the shell knows, for example",
        "  alias parley='java -jar /path/to/parley.jar'",
        ""})
final class CompletionCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    String script = AutoComplete.bash("parley", spec.root().commandLine());
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
