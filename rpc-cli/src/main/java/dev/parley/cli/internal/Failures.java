package dev.parley.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.ConfigException;
import dev.parley.RemoteException;
import dev.parley.TransportException;
import dev.parley.cli.Parley;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * How a failed command is reported on standard error, and its exit status: a JSON-RPC error is the
 * typed error with its code (status 1); a transport failure is its exception type, HTTP status and
 * message (status 2); a usage error its message and where help is (status 2); anything else a
 * one-line message (status 2).
 */
final class Failures {
  private Failures() {}

  /** Prints {@code e} to {@code err} and returns the exit status it means. */
  static int report(Exception e, CommandLine command, boolean verbose) {
    PrintWriter err = command.getErr();
    try {
      if (e instanceof CliUsage) {
        err.println("parley: " + e.getMessage());
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
        return Parley.FAILURE;
      }
      if (e instanceof RemoteException remote) {
        err.println(describe(remote));
        if (remote.data() != null) {
          err.println("data: " + Json.compact(remote.data()));
        }
        return Parley.REMOTE_ERROR;
      }
      if (e instanceof TransportException transport) {
        err.println(describe(transport));
        return Parley.FAILURE;
      }
      if (e instanceof CliFailure || e instanceof ConfigException) {
        err.println("parley: " + e.getMessage());
        return Parley.FAILURE;
      }
      if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
        // The client's builder refusing a setting (a malformed URL, an unusable key file): its
        // message says what to change and never shows a secret.
        err.println("parley: " + e.getMessage());
        return Parley.FAILURE;
      }
      if (e instanceof UncheckedIOException io) {
        err.println("parley: " + io.getCause().getMessage());
        return Parley.FAILURE;
      }
      err.println("parley: unexpected error: " + e);
      if (verbose) {
        e.printStackTrace(err);
      } else {
        err.println("(run with --verbose for the stack trace)");
      }
      return Parley.FAILURE;
    } finally {
      err.flush();
    }
  }

  /**
   * {@code RemoteException 1001 (application error): division by zero}: the exception's own type
   * (a subclass of {@code RemoteException} names itself), the code and what it means, the message.
   */
  static String describe(RemoteException e) {
    return e.getClass().getSimpleName() + " " + e.code() + " (" + kind(e.code()) + "): " + e.getMessage();
  }

  /**
   * {@code WrongSecureKeyException (HTTP 403, not run): …}, {@code TransportException (not run): cannot
   * reach …}, {@code TransportException (HTTP 502, outcome unknown): …}: the type, the status, and
   * whether the call provably did not run (docs/CLIENT.md, "Outcomes and re-sends").
   */
  static String describe(TransportException e) {
    String outcome = e.outcome() == dev.parley.CallOutcome.NOT_RUN ? "not run" : "outcome unknown";
    return e.getClass().getSimpleName() + " (" + (e.httpStatus() > 0 ? "HTTP " + e.httpStatus() + ", " : "")
        + outcome + "): " + e.getMessage();
  }

  /** A JSON-RPC error as a JSON object: code, message and (when sent) data. */
  static JsonNode json(RemoteException e) {
    var error = Json.MAPPER.createObjectNode().put("code", e.code()).put("message", e.getMessage());
    if (e.data() != null) {
      error.set("data", e.data());
    }
    return error;
  }

  /** What a JSON-RPC error code means (docs/ERRORS.md §2). */
  static String kind(int code) {
    return switch (code) {
      case RemoteException.PARSE_ERROR -> "parse error";
      case RemoteException.INVALID_REQUEST -> "invalid request";
      case RemoteException.METHOD_NOT_FOUND -> "method not found";
      case RemoteException.INVALID_PARAMS -> "invalid params";
      case RemoteException.INTERNAL_ERROR -> "internal error";
      case RemoteException.SERVER_ERROR -> "server error: the function threw";
      default -> code >= -32768 && code <= -32000 ? "reserved code" : "application error";
    };
  }

  /** Whether the command that failed was given {@code --verbose}. */
  static boolean verbose(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
