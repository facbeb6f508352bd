package dev.parley.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.RemoteException;
import dev.parley.TransportException;
import dev.parley.cli.Parley;
import dev.parley.client.Batch;
import dev.parley.client.ClientModule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code parley call --batch FILE}: the file is a JSON array of entries
 * {@code {"method": "add", "params": {"a": 1, "b": 2}}}, with {@code "notify": true} for a
 * notification. All of them go in one JSON-RPC batch request; the answer is printed as one JSON
 * array with an element per entry, in the file's order: {@code {"method": "add", "result": 3}},
 * {@code {"method": "divide", "error": {"code": 1001, "message": "…"}}}, or
 * {@code {"method": "log", "notified": true}}.
 */
final class BatchFile {
  private static final Set<String> MEMBERS = Set.of("method", "params", "notify");

  private BatchFile() {}

  /** One entry of the file. {@code params} is a map, a list, or null. */
  record Entry(String method, Object params, boolean notification) {}

  /** The answers to print and the exit status they mean. */
  record Outcome(ArrayNode answers, int status) {}

  /**
   * Reads the batch file ({@code -}: standard input).
   *
   * @throws CliUsage the file is not such a JSON array
   * @throws CliFailure the file cannot be read
   */
  static List<Entry> read(Path file, InputStream stdin) {
    boolean fromStdin = file.toString().equals("-");
    String where = fromStdin ? "the batch on standard input" : "the batch file " + file;
    String text;
    try {
      text = fromStdin
          ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8)
          : Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new CliFailure(where + " does not exist");
    } catch (IOException e) {
      throw new CliFailure("cannot read " + where + ": " + e.getMessage());
    }
    JsonNode json = Json.parse(where, text);
    if (!json.isArray() || json.isEmpty()) {
      throw new CliUsage(where + " must be a JSON array of at least one entry such as"
          + " {\"method\": \"add\", \"params\": {\"a\": 1, \"b\": 2}}");
    }
    List<Entry> entries = new ArrayList<>(json.size());
    for (int i = 0; i < json.size(); i++) {
      entries.add(entry(where + ", entry " + (i + 1), json.get(i)));
    }
    return entries;
  }

  private static Entry entry(String where, JsonNode node) {
    if (!node.isObject()) {
      throw new CliUsage(where + " is not a JSON object with \"method\" and \"params\"");
    }
    for (Map.Entry<String, JsonNode> member : node.properties()) {
      if (!MEMBERS.contains(member.getKey())) {
        throw new CliUsage(where + " has an unknown member \"" + member.getKey()
            + "\"; an entry has \"method\", \"params\" and \"notify\"");
      }
    }
    JsonNode method = node.get("method");
    if (method == null || !method.isTextual() || method.asText().isEmpty()) {
      throw new CliUsage(where + " needs a \"method\": the function's name as a string");
    }
    JsonNode params = node.get("params");
    JsonNode notify = node.get("notify");
    if (notify != null && !notify.isBoolean()) {
      throw new CliUsage(where + ": \"notify\" must be true or false");
    }
    return new Entry(method.asText(),
        params == null || params.isNull() ? null : Params.structured(where + ": \"params\"", params),
        notify != null && notify.asBoolean());
  }

  /** The entries as the JSON the wire log shows with --show-plaintext. */
  static JsonNode asJson(List<Entry> entries) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    for (Entry e : entries) {
      ObjectNode o = array.addObject().put("method", e.method());
      if (e.params() != null) {
        o.set("params", Params.asJson(e.params()));
      }
      if (e.notification()) {
        o.put("notify", true);
      }
    }
    return array;
  }

  /**
   * Sends the entries as one batch. A failure of the whole exchange throws its
   * {@link TransportException} (nothing is printed then); otherwise every entry gets its answer.
   */
  static Outcome execute(ClientModule module, List<Entry> entries) {
    Batch batch = module.batch();
    List<CompletableFuture<JsonNode>> results = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      if (e.notification()) {
        batch.notify(e.method(), e.params());
        results.add(null);
      } else {
        results.add(batch.call(e.method(), e.params(), JsonNode.class));
      }
    }
    batch.execute();
    ArrayNode answers = Json.MAPPER.createArrayNode();
    int status = Parley.OK;
    for (int i = 0; i < entries.size(); i++) {
      ObjectNode answer = answers.addObject().put("method", entries.get(i).method());
      CompletableFuture<JsonNode> result = results.get(i);
      if (result == null) {
        answer.put("notified", true);
        continue;
      }
      try {
        JsonNode value = result.join();
        answer.set("result", value == null ? Json.MAPPER.nullNode() : value);
      } catch (CompletionException failed) {
        Throwable cause = failed.getCause();
        if (cause instanceof RemoteException remote) {
          answer.set("error", Failures.json(remote));
          status = Math.max(status, Parley.REMOTE_ERROR);
        } else if (cause instanceof TransportException transport) {
          // One entry the answer left out: whether it ran is unknown (docs/CLIENT.md, Batches).
          answer.putObject("failure").put("type", transport.getClass().getSimpleName())
              .put("message", transport.getMessage());
          status = Parley.FAILURE;
        } else {
          throw failed;
        }
      }
    }
    return new Outcome(answers, status);
  }
}
