package dev.parley.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.cli.Parley;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code parley describe}: a module's functions and their parameter schemas, from {@code rpc.discover}. */
@Command(name = "describe",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    customSynopsis = {
        "parley describe [OPTIONS] URL",
        "       parley describe [OPTIONS] --config FILE [URL]"},
    description = {
        "Lists the functions of the module at URL, their parameters and results, from",
        "the module's OpenRPC document (rpc.discover); --json prints the document.",
        "",
        "A parameter marked ? may be left out. Types read int32, int64, double,",
        "string(date-time), array<T>, set<T>, map<K, V>, {member: T}; records and",
        "beans are named in the table and spelled out under 'Types'.",
        "",
        "Exit status: 0 ok; 1 the server answered a JSON-RPC error; 2 a transport",
        "failure, a usage error, or another failure.",
        ""},
    footer = {"",
        "Examples:",
        "  parley describe http://127.0.0.1:8080/calc",
        "  parley describe http://127.0.0.1:8080/calc --secure-key-file calc.key --json"})
final class DescribeCommand implements Callable<Integer> {
  private static final String DISCOVER = "rpc.discover";
  private static final Pattern INLINE_TAG = Pattern.compile("\\{@(link|linkplain|code|literal)\\s+([^}]*)}");

  @Spec
  CommandSpec spec;

  @Mixin
  ModuleOptions module;

  @Option(names = "--json", description = "Print the OpenRPC document as JSON instead of the table.")
  boolean json;

  @Parameters(paramLabel = "URL", arity = "0..1", description = "The module's URL, e.g. http://127.0.0.1:8080/calc.")
  String url;

  @Override
  public Integer call() {
    JsonNode document;
    try (ModuleOptions.Remote remote = module.open(url, spec.commandLine().getErr())) {
      remote.willSeal("call " + DISCOVER + ", no params");
      document = remote.module().call(DISCOVER, null, JsonNode.class);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(Json.pretty(document));
    } else {
      print(document, out);
    }
    out.flush();
    return Parley.OK;
  }

  /** The title line, the functions table and the named types. */
  static void print(JsonNode document, PrintWriter out) {
    JsonNode info = document.path("info");
    String title = info.path("title").asText("");
    String version = info.path("version").asText("");
    JsonNode methods = document.path("methods");
    out.println((title.isEmpty() ? "module" : title) + (version.isEmpty() ? "" : " " + version) + ": "
        + methods.size() + (methods.size() == 1 ? " function" : " functions"));
    if (methods.isEmpty()) {
      return;
    }
    out.println();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"FUNCTION", "PARAMETERS", "RESULT", "IDEMPOTENT", "DESCRIPTION"});
    for (JsonNode m : methods) {
      List<String> params = new ArrayList<>();
      for (JsonNode p : m.path("params")) {
        boolean optional = !p.path("required").asBoolean(false);
        params.add(p.path("name").asText("?") + (optional ? "?" : "") + ": " + Schemas.text(p.get("schema")));
      }
      rows.add(new String[] {
          m.path("name").asText(),
          params.isEmpty() ? "-" : String.join(", ", params),
          Schemas.text(m.path("result").get("schema")),
          m.path("x-idempotent").asBoolean(false) ? "yes" : "no",
          firstLine(m.path("description").asText(m.path("summary").asText("")))});
    }
    table(rows, out);
    JsonNode components = document.path("components").path("schemas");
    if (components.isObject() && !components.isEmpty()) {
      out.println();
      out.println("Types:");
      for (Map.Entry<String, JsonNode> c : components.properties()) {
        out.println("  " + Schemas.shortName(c.getKey()) + " = " + Schemas.text(c.getValue()));
      }
    }
  }

  /** Columns padded to their widest cell; the last column is not padded. */
  private static void table(List<String[]> rows, PrintWriter out) {
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        line.append(row[c]);
        if (c < columns - 1) {
          line.append(" ".repeat(width[c] - row[c].length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /**
   * The description's first line, with Javadoc's inline tags as plain text: rpc-codegen copies a
   * function's Javadoc as written, so {@code {@link #DIVISION_BY_ZERO}} becomes {@code DIVISION_BY_ZERO}.
   */
  static String firstLine(String text) {
    String s = text.strip();
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl).strip();
    Matcher tag = INLINE_TAG.matcher(line);
    StringBuilder plain = new StringBuilder();
    while (tag.find()) {
      String body = tag.group(2).strip();
      if (tag.group(1).startsWith("link")) {
        // {@link Type#member label}: the label, or else the reference as Type.member
        int space = body.indexOf(' ');
        body = space > 0 ? body.substring(space + 1).strip()
            : body.startsWith("#") ? body.substring(1) : body.replace('#', '.');
      }
      tag.appendReplacement(plain, Matcher.quoteReplacement(body));
    }
    tag.appendTail(plain);
    return plain.toString();
  }
}
