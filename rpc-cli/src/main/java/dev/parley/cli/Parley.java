package dev.parley.cli;

import dev.parley.cli.internal.Cli;

/**
 * The {@code parley} command line tool: {@code keygen}, {@code describe} and {@code call}, for
 * plain and encrypted Parley modules. It is the main class of {@code parley.jar}; docs/CLI.md
 * describes every command and option.
 *
 * <pre>{@code
 * java -jar parley.jar call http://127.0.0.1:8080/calc add a=1 b=2 --secure-key-file calc.key
 * }</pre>
 *
 * <p>Exit statuses: {@link #OK} when the command did what it was asked, {@link #REMOTE_ERROR}
 * when the server answered a JSON-RPC error, {@link #FAILURE} for everything else (a transport
 * failure such as an unreachable server or a wrong SecureKey, a usage error such as malformed JSON
 * params, a file that cannot be read or written).
 */
public final class Parley {
  /** Exit status: the command did what it was asked. */
  public static final int OK = 0;
  /** Exit status: the server answered with a JSON-RPC error (also when one entry of a batch did). */
  public static final int REMOTE_ERROR = 1;
  /** Exit status: a transport failure, a usage error, or any other failure. */
  public static final int FAILURE = 2;

  private Parley() {}

  /** Runs {@code parley} with {@code args} and exits the JVM with the command's exit status. */
  public static void main(String... args) {
    int status = execute(args);
    System.out.flush();
    System.err.flush();
    System.exit(status);
  }

  /**
   * Runs {@code parley} with {@code args}, printing to {@code System.out} and {@code System.err} and
   * reading {@code System.in} where the command asks for it, and returns the exit status instead of
   * exiting ({@link #OK}, {@link #REMOTE_ERROR} or {@link #FAILURE}).
   */
  public static int execute(String... args) {
    return Cli.execute(args);
  }
}
