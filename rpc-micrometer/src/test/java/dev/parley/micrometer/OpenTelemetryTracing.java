package dev.parley.micrometer;

import dev.parley.CallContext;
import dev.parley.server.CallResult;
import dev.parley.server.ServerInterceptor;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The tracing hook of docs/OPERATIONS.md "Tracing", as written there (keep the two the same): a
 * server interceptor that starts an OpenTelemetry span from the call's W3C trace context.
 */
final class OpenTelemetryTracing implements ServerInterceptor {
  /** Reads the trace context from the call, not from the headers (sealed calls carry none there). */
  static final TextMapGetter<CallContext> TRACE_CONTEXT = new TextMapGetter<>() {
    @Override public Iterable<String> keys(CallContext call) {
      return List.of("traceparent", "tracestate");
    }

    @Override public String get(CallContext call, String key) {
      if (call == null) {
        return null;
      }
      return switch (key) {
        case "traceparent" -> call.traceparent().orElse(null);
        case "tracestate" -> call.tracestate().orElse(null);
        default -> null;
      };
    }
  };

  private final Tracer tracer;

  OpenTelemetryTracing(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override public CompletionStage<?> intercept(CallContext call, Next next) {
    Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), call, TRACE_CONTEXT);
    Span span = tracer.spanBuilder(call.serviceName() + "/" + call.function())
        .setParent(parent)
        .setSpanKind(SpanKind.SERVER)
        .setAttribute("rpc.system", "jsonrpc")
        .setAttribute("rpc.service", call.serviceName())
        .setAttribute("rpc.method", call.function())
        .startSpan();
    call.attributes().put("otel.span", span);     // onComplete ends it
    try (Scope scope = span.makeCurrent()) {       // current while a synchronous function runs
      return next.proceed();
    }
  }

  @Override public void onComplete(CallContext call, CallResult result) {
    if (call.attributes().get("otel.span") instanceof Span span) {
      if (!result.succeeded()) {
        span.setAttribute("rpc.jsonrpc.error_code", result.errorCode());
        span.setStatus(StatusCode.ERROR);
      }
      span.end();
    }
  }
}
