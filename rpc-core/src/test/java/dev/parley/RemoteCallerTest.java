package dev.parley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Type;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The default typed-error {@code callAsync} that generated stubs use. */
class RemoteCallerTest {
  /** Typed error of the tests. */
  static final class ClosedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ClosedException(String message) {
      super(message);
    }
  }

  /** Answers every async call with the one future the test completes. */
  static final class OneFutureCaller implements RemoteCaller {
    final CompletableFuture<Object> call = new CompletableFuture<>();

    @Override
    public <T> T call(String function, Object params, Type resultType, boolean idempotent) {
      throw new UnsupportedOperationException();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> callAsync(String function, Object params, Type resultType, boolean idempotent) {
      return (CompletableFuture<T>) call;
    }
  }

  private static Throwable closedFor4001(RemoteException e) {
    return e.code() == 4001 ? new ClosedException(e.getMessage()) : e;
  }

  @Test
  void resultPassesThrough() {
    OneFutureCaller caller = new OneFutureCaller();
    CompletableFuture<String> future = caller.callAsync("f", null, String.class, false, RemoteCallerTest::closedFor4001);
    caller.call.complete("ok");
    assertEquals("ok", future.join());
  }

  @Test
  void remoteExceptionWithADeclaredCodeBecomesTheTypedException() {
    OneFutureCaller caller = new OneFutureCaller();
    CompletableFuture<String> future = caller.callAsync("f", null, String.class, false, RemoteCallerTest::closedFor4001);
    caller.call.completeExceptionally(new RemoteException(4001, "closed"));
    CompletionException e = assertThrows(CompletionException.class, future::join);
    assertEquals(ClosedException.class, e.getCause().getClass());
    assertEquals("closed", e.getCause().getMessage());
  }

  @Test
  void otherFailuresStayAsTheyAre() {
    OneFutureCaller caller = new OneFutureCaller();
    CompletableFuture<String> future = caller.callAsync("f", null, String.class, false, RemoteCallerTest::closedFor4001);
    RemoteException other = new RemoteException(-32602, "Invalid params");
    caller.call.completeExceptionally(new CompletionException(other));
    assertSame(other, assertThrows(CompletionException.class, future::join).getCause());
  }

  @Test
  void cancellingTheTypedFutureCancelsTheCall() {
    OneFutureCaller caller = new OneFutureCaller();
    CompletableFuture<String> future = caller.callAsync("f", null, String.class, false, RemoteCallerTest::closedFor4001);
    assertTrue(future.cancel(true));
    assertTrue(caller.call.isCancelled());
  }
}
