package dev.parley.micrometer;

import dev.parley.client.ClientCall;
import dev.parley.client.ClientInterceptor;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletionStage;

/**
 * The client half of the tracing hook of docs/OPERATIONS.md "Tracing", as written there (keep the
 * two the same): a client interceptor that starts a span and sends its trace context with the call.
 */
final class OpenTelemetryClientTracing implements ClientInterceptor {
  private final Tracer tracer;

  OpenTelemetryClientTracing(Tracer tracer) {
    this.tracer = tracer;
  }

  @Override public CompletionStage<?> interceptCall(ClientCall call, Next next) {
    Span span = tracer.spanBuilder(call.function()).setSpanKind(SpanKind.CLIENT).startSpan();
    try (Scope scope = span.makeCurrent()) {
      W3CTraceContextPropagator.getInstance().inject(Context.current(), call, (c, key, value) -> {
        if (key.equals("traceparent")) {
          c.traceparent(value);               // sealed into an encrypted call, a header of a plain one
        } else if (key.equals("tracestate")) {
          c.tracestate(value);
        }
      });
      return next.proceed().whenComplete((result, failure) -> {
        if (failure != null) {
          span.setStatus(StatusCode.ERROR);
        }
        span.end();
      });
    }
  }
}
