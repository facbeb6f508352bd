package dev.parley.codegen;

import dev.parley.Arguments;
import dev.parley.RemoteCaller;
import dev.parley.Session;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Test doubles for the rpc-core interfaces generated code talks to; no transport is involved. */
final class Fakes {
  private Fakes() {}

  /** One call a generated client made. */
  record Call(String function, Object params, Type resultType, boolean idempotent, boolean async) {}

  /** Records every call and answers with a fixed result. */
  static final class RecordingCaller implements RemoteCaller {
    final List<Call> calls = new ArrayList<>();
    /** The timeouts {@link #withTimeout} was asked for, and the views it returned. */
    final List<java.time.Duration> timeouts = new ArrayList<>();
    final List<RecordingCaller> views = new ArrayList<>();
    final CompletableFuture<Object> future = new CompletableFuture<>();
    Object result;
    RuntimeException failure;

    RecordingCaller answering(Object result) {
      this.result = result;
      return this;
    }

    RecordingCaller failing(RuntimeException failure) {
      this.failure = failure;
      return this;
    }

    Call only() {
      if (calls.size() != 1) {
        throw new AssertionError("expected one call, got " + calls);
      }
      return calls.get(0);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T call(String function, Object params, Type resultType, boolean idempotent) {
      calls.add(new Call(function, params, resultType, idempotent, false));
      if (failure != null) {
        throw failure;
      }
      return (T) result;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> callAsync(String function, Object params, Type resultType, boolean idempotent) {
      calls.add(new Call(function, params, resultType, idempotent, true));
      return (CompletableFuture<T>) future;
    }

    @Override
    public RemoteCaller withTimeout(java.time.Duration timeout) {
      timeouts.add(timeout);
      RecordingCaller view = new RecordingCaller().answering(result);
      views.add(view);
      return view;
    }
  }

  /** One parameter a generated dispatcher asked for ({@code rest}: as a rest parameter). */
  record Request(int position, String name, Type type, boolean rest) {
    Request(int position, String name, Type type) {
      this(position, name, type, false);
    }
  }

  /** Named arguments; records what the dispatcher asked for. */
  static final class RecordingArguments implements Arguments {
    final Map<String, Object> values = new HashMap<>();
    final List<Request> requests = new ArrayList<>();
    private dev.parley.CallContext context;

    RecordingArguments with(String name, Object value) {
      values.put(name, value);
      return this;
    }

    RecordingArguments withContext(dev.parley.CallContext context) {
      this.context = context;
      return this;
    }

    @Override
    public dev.parley.CallContext callContext() {
      return context != null ? context : Arguments.super.callContext();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(int position, String name, Type type) {
      requests.add(new Request(position, name, type));
      return (T) values.get(name);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T rest(int position, String name, Type arrayType) {
      requests.add(new Request(position, name, arrayType, true));
      return (T) values.get(name);
    }
  }

  static final class FakeSession implements Session {
    final ConcurrentMap<String, Object> attributes = new ConcurrentHashMap<>();

    @Override
    public String id() {
      return "s1";
    }

    @Override
    public Instant createdAt() {
      return Instant.EPOCH;
    }

    @Override
    public ConcurrentMap<String, Object> attributes() {
      return attributes;
    }

    @Override
    public void invalidate() {
      attributes.clear();
    }

    @Override
    public boolean isValid() {
      return true;
    }
  }
}
