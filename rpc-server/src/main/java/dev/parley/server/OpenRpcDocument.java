package dev.parley.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.FunctionDescriptor;
import dev.parley.RemoteFunctions;
import dev.parley.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a module's OpenRPC document for {@code rpc.discover}: the {@code methods} (and
 * {@code components}) of every group's generated document, merged, under one {@code openrpc} and
 * {@code info} block. A group without a readable document gets minimal entries made from its
 * descriptors. {@code rpc.discover} itself is not listed (OpenRPC's convention).
 */
final class OpenRpcDocument {
  static final String OPENRPC_VERSION = "1.3.2";
  private static final Logger LOG = LoggerFactory.getLogger(OpenRpcDocument.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * The document's {@code info}: the module's {@code apiTitle} (default "Parley module /path"),
   * {@code apiVersion} (default "1.0.0") and {@code apiDescription} (none by default).
   */
  record Info(String title, String version, String description) {
    static final String DEFAULT_VERSION = "1.0.0";

    static Info of(String path, String title, String version, String description) {
      return new Info(title != null ? title : "Parley module " + path, version != null ? version : DEFAULT_VERSION,
          description);
    }
  }

  private OpenRpcDocument() {}

  static ObjectNode build(Info moduleInfo, FunctionRegistry registry) {
    ObjectNode document = NODES.objectNode();
    document.put("openrpc", OPENRPC_VERSION);
    ObjectNode info = document.putObject("info");
    info.put("title", moduleInfo.title());
    if (moduleInfo.description() != null) {
      info.put("description", moduleInfo.description());
    }
    info.put("version", moduleInfo.version());
    ArrayNode methods = document.putArray("methods");
    ObjectNode components = NODES.objectNode();
    for (RemoteFunctions group : registry.groups()) {
      JsonNode generated = load(group);
      if (generated != null && generated.path("methods").isArray()) {
        methods.addAll((ArrayNode) generated.get("methods"));
        mergeComponents(components, generated.path("components"));
      } else {
        for (FunctionDescriptor function : group.functions()) {
          methods.add(minimal(function));
        }
      }
    }
    if (!components.isEmpty()) {
      document.set("components", components);
    }
    return document;
  }

  private static JsonNode load(RemoteFunctions group) {
    String resource = group.openRpcResource();
    if (resource == null) {
      return null;
    }
    ClassLoader loader = group.getClass().getClassLoader();
    if (loader == null) {
      loader = ClassLoader.getSystemClassLoader();
    }
    try (InputStream in = loader.getResourceAsStream(resource)) {
      return in == null ? null : Json.MAPPER.readTree(in);
    } catch (IOException | RuntimeException e) {
      LOG.warn("OpenRPC document {} of {} is unreadable; rpc.discover lists its functions without schemas",
          resource, group.serviceName(), e);
      return null;
    }
  }

  private static void mergeComponents(ObjectNode into, JsonNode from) {
    if (!from.isObject()) {
      return;
    }
    for (Map.Entry<String, JsonNode> kind : from.properties()) {
      if (!kind.getValue().isObject()) {
        continue;
      }
      ObjectNode target = into.has(kind.getKey()) ? (ObjectNode) into.get(kind.getKey()) : into.putObject(kind.getKey());
      for (Map.Entry<String, JsonNode> entry : kind.getValue().properties()) {
        if (!target.has(entry.getKey())) {
          target.set(entry.getKey(), entry.getValue());
        }
      }
    }
  }

  private static ObjectNode minimal(FunctionDescriptor function) {
    ObjectNode method = NODES.objectNode();
    method.put("name", function.name());
    method.put("paramStructure", "either");
    ArrayNode params = method.putArray("params");
    for (String name : function.params()) {
      params.addObject().put("name", name).putObject("schema");
    }
    method.putObject("result").put("name", "result").putObject("schema");
    if (function.idempotent()) {
      method.put("x-idempotent", true);
    }
    return method;
  }
}
