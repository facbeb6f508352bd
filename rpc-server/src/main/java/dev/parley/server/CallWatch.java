package dev.parley.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancels the unfinished futures that the functions of one request returned (delayed calls, or
 * any asynchronous function) when the caller goes away before they are answered: it closed its
 * connection or reset its HTTP/2 stream (docs/SERVER.md "Delayed calls"). A cancelled future is
 * never answered, and a {@link DelayedCalls} registry forgets it.
 *
 * <p>HTTP/2 reads its connection all the time and reports a reset or a close as a failure of the
 * request. Jetty's HTTP/1.1 connection does not read while a request is being handled, so a close
 * would only be seen by the answer's write. For HTTP/1.1 this class therefore asks the connection's
 * end point to report when it becomes readable, once the whole request body has been read: an
 * HTTP/1.1 client waiting for its answer sends nothing more, so readable means closed (a read of
 * one byte tells, -1), or a request pipelined behind this one, which the connection can no longer
 * serve once that byte is read: it is closed too. Before the answer is written the interest is
 * withdrawn, so Jetty's own reading of the next request is untouched.
 */
final class CallWatch {
  private static final Logger LOG = LoggerFactory.getLogger(CallWatch.class);

  private final Request request;
  private List<CompletableFuture<?>> open;   // guarded by this; null once answered or gone
  private boolean watching;                 // guarded by this
  private boolean ended;                    // guarded by this
  private AbstractEndPoint endPoint;        // guarded by this; set while its fill interest is ours

  CallWatch(Request request) {
    this.request = request;
  }

  /** Called for each future a function returned that was not complete when it returned. */
  synchronized void add(CompletableFuture<?> future) {
    if (ended) {
      future.cancel(false);
      return;
    }
    if (open == null) {
      open = new ArrayList<>(1);
    }
    open.add(future);
  }

  /**
   * Starts watching the caller once every function of the body has returned and some have not
   * completed. Does nothing once the answer is on its way ({@link #answered()}), so it never touches
   * a finished request.
   */
  synchronized void watch() {
    if (ended || watching || open == null) {
      return;
    }
    watching = true;
    request.addFailureListener(this::gone);
    ConnectionMetaData connection = request.getConnectionMetaData();
    HttpVersion version = connection.getHttpVersion();
    if ((version != HttpVersion.HTTP_1_1 && version != HttpVersion.HTTP_1_0)
        || !(connection.getConnection().getEndPoint() instanceof AbstractEndPoint point)) {
      return;
    }
    Content.Chunk chunk = request.read();
    while (chunk != null) {
      chunk.release();
      if (chunk.isLast()) {
        if (chunk.getFailure() == null && point.tryFillInterested(new Readable(point))) {
          endPoint = point;
        }
        return;
      }
      chunk = request.read();
    }
    // The body's end has not arrived yet (the JSON was complete before it): reading the connection
    // now could take body bytes from Jetty, so a close is seen when the answer is written.
  }

  /** The answer is about to be written: nothing is cancelled any more, and the connection is Jetty's again. */
  synchronized void answered() {
    ended = true;
    open = null;
    AbstractEndPoint point = endPoint;
    endPoint = null;
    if (point != null) {
      point.getFillInterest().onFail(new IOException("answered"));   // withdraws our interest if it is still set
    }
  }

  private void gone(Throwable failure) {
    List<CompletableFuture<?>> cancelled;
    synchronized (this) {
      cancelled = open;
      open = null;
      ended = true;
      endPoint = null;
    }
    if (cancelled != null) {
      LOG.debug("the caller went away before {} call(s) were answered; cancelled ({})", cancelled.size(),
          failure.toString());
      for (CompletableFuture<?> future : cancelled) {
        future.cancel(false);
      }
    }
  }

  /** The HTTP/1.1 connection became readable while its request waits for an answer. */
  private final class Readable implements Callback {
    private final EndPoint point;

    Readable(EndPoint point) {
      this.point = point;
    }

    @Override
    public void succeeded() {
      int read;
      synchronized (CallWatch.this) {
        if (endPoint != point) {
          return;   // answered meanwhile: the connection belongs to Jetty again
        }
        try {
          read = point.fill(BufferUtil.allocate(1));
        } catch (IOException e) {
          read = -1;
        }
        if (read == 0) {
          // Nothing to read after all: keep watching, unless someone else reads the connection now.
          if (!point.tryFillInterested(this)) {
            endPoint = null;
          }
          return;
        }
        endPoint = null;
      }
      if (read > 0) {
        LOG.debug("a request was pipelined behind a waiting call; closing the connection");
      }
      point.close();
      gone(new IOException(read > 0 ? "pipelined request" : "connection closed by the caller"));
    }

    @Override
    public void failed(Throwable failure) {
      synchronized (CallWatch.this) {
        if (endPoint != point) {
          return;   // withdrawn by answered()
        }
        endPoint = null;
      }
      gone(failure);
    }

    @Override
    public InvocationType getInvocationType() {
      return InvocationType.BLOCKING;   // cancelling writes answers: not on a selector thread
    }
  }
}
