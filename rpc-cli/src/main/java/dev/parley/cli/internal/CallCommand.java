package dev.parley.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.parley.cli.Parley;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code parley call}: one call, a notification, or a batch from a file. */
@Command(name = "call",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    customSynopsis = {
        "parley call [OPTIONS] URL FUNCTION [PARAMS...]",
        "       parley call [OPTIONS] --config FILE [URL] FUNCTION [PARAMS...]",
        "       parley call [OPTIONS] [--config FILE] [URL] --batch FILE"},
    description = {
        "Calls FUNCTION of the module at URL and prints its result as JSON.",
        "",
        "PARAMS is one of:",
        "  '{\"a\":1,\"b\":2}'  a JSON object (by name) or array ('[1,2]', by position)",
        "  a=1 b=2          name=value words: the value is JSON if it parses as JSON,",
        "                   else a string (name=Ada); name:=json insists on JSON",
        "  -                a JSON object or array read from standard input",
        "  (nothing)        no params",
        "",
        "Encrypted modules: --secure-key-file FILE (and --key-id when the module knows",
        "the key by another id), or --config FILE. The handshake runs under the hood.",
        "",
        "A JSON-RPC error is printed on standard error as its type and code, a",
        "transport failure as its type and HTTP status.",
        "",
        "Exit status: 0 ok; 1 the server answered a JSON-RPC error (with --batch: for",
        "at least one entry); 2 a transport failure, a usage error, or another failure.",
        ""},
    footer = {"",
        "Examples:",
        "  parley call http://127.0.0.1:8080/calc add a=1 b=2",
        "  parley call http://127.0.0.1:8080/calc add '[1,2]' --secure-key-file calc.key",
        "  echo '{\"n\":3}' | parley call --config calc-client.yml table -",
        "  parley call http://127.0.0.1:8080/calc --batch calls.json"})
final class CallCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ModuleOptions module;

  @Option(names = "--notify",
      description = "Send a notification: the server runs FUNCTION and answers nothing; nothing is printed.")
  boolean notify;

  @Option(names = "--batch", paramLabel = "FILE",
      description = "Send the calls listed in FILE ('-': standard input) as one JSON-RPC batch: a JSON array of"
          + " {\"method\": \"add\", \"params\": {...}} objects, \"notify\": true for a notification."
          + " Prints one JSON array: each entry's result or error, in the file's order.")
  Path batch;

  @Option(names = "--compact", description = "Print JSON on one line instead of indented.")
  boolean compact;

  @Parameters(paramLabel = "URL FUNCTION PARAMS", arity = "0..*", hidden = true)
  List<String> words = new ArrayList<>();

  @Override
  public Integer call() {
    Target target = Target.of(words, module.config != null, batch != null);
    if (batch != null && notify) {
      throw new CliUsage("--notify applies to one call; in a batch file mark notifications with \"notify\": true");
    }
    PrintWriter out = spec.commandLine().getOut();
    if (batch != null) {
      List<BatchFile.Entry> entries = BatchFile.read(batch, System.in);
      try (ModuleOptions.Remote remote = module.open(target.url(), spec.commandLine().getErr())) {
        remote.willSeal("a batch of " + entries.size() + ": " + Json.compact(BatchFile.asJson(entries)));
        BatchFile.Outcome outcome = BatchFile.execute(remote.module(), entries);
        out.println(print(outcome.answers()));
        out.flush();
        return outcome.status();
      }
    }
    Object params = Params.parse(target.params(), System.in);
    try (ModuleOptions.Remote remote = module.open(target.url(), spec.commandLine().getErr())) {
      JsonNode sent = params == null ? NullNode.getInstance() : Params.asJson(params);
      remote.willSeal((notify ? "notification " : "call ") + target.function() + ", params " + Json.compact(sent));
      if (notify) {
        remote.module().notify(target.function(), params);
        return Parley.OK;
      }
      JsonNode result = remote.module().call(target.function(), params, JsonNode.class);
      out.println(print(result == null ? NullNode.getInstance() : result));
      out.flush();
      return Parley.OK;
    }
  }

  private String print(JsonNode node) {
    return compact ? Json.compact(node) : Json.pretty(node);
  }

  /** The words before the params: the URL (optional with --config) and the function. */
  record Target(String url, String function, List<String> params) {
    static Target of(List<String> words, boolean hasConfig, boolean batch) {
      int next = 0;
      String url = null;
      if (!words.isEmpty() && (!hasConfig || words.get(0).contains("://"))) {
        url = words.get(next++);
      }
      if (url == null && !hasConfig) {
        throw new CliUsage("missing URL: give the module's URL (http://host:port/path) or --config FILE");
      }
      if (batch) {
        if (next < words.size()) {
          throw new CliUsage("with --batch the calls come from the file: remove '" + words.get(next) + "'");
        }
        return new Target(url, null, List.of());
      }
      if (next >= words.size()) {
        throw new CliUsage("missing FUNCTION: give the name of the function to call after the URL"
            + " ('parley describe URL' lists them)");
      }
      String function = words.get(next++);
      return new Target(url, function, List.copyOf(words.subList(next, words.size())));
    }
  }
}
