package dev.parley.server;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.Graceful;

/**
 * {@link RpcServer}'s graceful stop (PROTOCOL.md §15.7), in place of Jetty's {@code GracefulHandler}:
 * it counts the requests in flight and, once the stop began, still hands new requests to the
 * modules, which are draining and answer them "not run" themselves (a sealed call gets an
 * authenticated answer, which a plain 503 from Jetty could not be). The stop completes when no
 * request is in flight. HTTP/1 answers given while draining or stopping close their connection.
 */
final class DrainingHandler extends Handler.Wrapper implements Graceful {
  private final List<ServerModule> modules;
  private final LongAdder inFlight = new LongAdder();
  private volatile boolean draining;
  private final Shutdown shutdown = new Shutdown(this) {
    @Override
    public boolean isShutdownDone() {
      return inFlight.sum() == 0;
    }
  };

  DrainingHandler(List<ServerModule> modules, Handler handler) {
    super(handler);
    this.modules = modules;
  }

  /**
   * Makes every module drain; new requests are still served (answered "not run"), and every HTTP/1
   * answer from now on closes its connection, so that no keep-alive connection is left for the stop
   * to close under a request that is on its way.
   */
  void drainModules() {
    draining = true;
    modules.forEach(ServerModule::drain);
  }

  /** Whether a graceful stop began: the modules drain (for the health path). */
  boolean isDraining() {
    return draining || shutdown.isShutdown();
  }

  @Override
  protected void doStart() throws Exception {
    draining = false;
    super.doStart();
  }

  @Override
  public CompletableFuture<Void> shutdown() {
    drainModules();
    return shutdown.shutdown();
  }

  @Override
  public boolean isShutdown() {
    return shutdown.isShutdown();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Handler next = getHandler();
    if (next == null || !isStarted()) {
      return false;
    }
    if ((draining || shutdown.isShutdown()) && request.getConnectionMetaData().getProtocol().startsWith("HTTP/1")) {
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
    }
    inFlight.increment();
    Callback counted = Callback.from(callback, this::done);
    boolean handled;
    try {
      handled = next.handle(request, response, counted);
    } catch (Throwable t) {
      done();
      throw t;
    }
    if (!handled) {
      done();
    }
    return handled;
  }

  private void done() {
    inFlight.decrement();
    if (shutdown.isShutdown()) {
      shutdown.check();
    }
  }
}
