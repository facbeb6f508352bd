package dev.parley.server;

import dev.parley.CallContext;
import dev.parley.Session;
import dev.parley.internal.LazyAttributes;
import dev.parley.internal.jsonrpc.RequestId;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;

/**
 * The {@link CallContext} of one call: its function and id, and the rest from its HTTP request's
 * {@link RequestScope}. Made only when a function or an interceptor asks for it.
 */
final class ServerCall extends LazyAttributes implements CallContext {
  private final RequestScope scope;
  private final String serviceName;
  private final String function;
  private final RequestId id;

  ServerCall(RequestScope scope, String serviceName, String function, RequestId id) {
    this.scope = scope;
    this.serviceName = serviceName;
    this.function = function;
    this.id = id;
  }

  /** The JSON-RPC id, null for a notification. */
  RequestId id() {
    return id;
  }

  @Override
  public String modulePath() {
    return scope.modulePath();
  }

  @Override
  public String serviceName() {
    return serviceName;
  }

  @Override
  public String function() {
    return function;
  }

  @Override
  public Optional<String> callId() {
    if (id == null) {
      return Optional.empty();
    }
    return Optional.of(switch (id.kind()) {
      case STRING -> jsonString(id.text());
      case NUMBER -> id.text();
      default -> "null";
    });
  }

  @Override
  public boolean inBatch() {
    return scope.inBatch();
  }

  @Override
  public boolean isEncrypted() {
    return scope.isEncrypted();
  }

  @Override
  public Optional<String> header(String name) {
    return Optional.ofNullable(scope.request().getHeaders().get(name));
  }

  @Override
  public List<String> headerValues(String name) {
    return scope.request().getHeaders().getValuesList(name);
  }

  @Override
  public Set<String> headerNames() {
    Set<String> names = new LinkedHashSet<>();
    for (HttpField field : scope.request().getHeaders()) {
      names.add(field.getName());
    }
    return Set.copyOf(names);
  }

  @Override
  public Optional<InetSocketAddress> remoteAddress() {
    return scope.request().getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress address
        ? Optional.of(address) : Optional.empty();
  }

  @Override
  public Optional<Instant> deadline() {
    return Optional.ofNullable(scope.deadlineInstant());
  }

  @Override
  public Session session() {
    return scope.session();
  }

  @Override
  public Optional<String> traceparent() {
    return Optional.ofNullable(scope.traceparent());
  }

  @Override
  public Optional<String> tracestate() {
    return scope.traceparent() == null ? Optional.empty() : Optional.ofNullable(scope.tracestate());
  }

  @Override
  public String toString() {
    return "CallContext[" + scope.modulePath() + " " + function + ", id " + callId().orElse("-") + "]";
  }

  /** {@code text} as a JSON string literal: quoted, with quotes, backslashes and control characters escaped. */
  static String jsonString(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
