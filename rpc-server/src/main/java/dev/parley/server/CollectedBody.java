package dev.parley.server;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * The request body of a {@linkplain ServerModule.Builder#nonBlocking non-blocking} module, read
 * without blocking a thread: chunks are copied as they arrive (Jetty calls back on its I/O thread
 * when more are readable), and once the body is complete the request is handed on as a
 * {@link Request.Wrapper} whose content is already in memory. The module's ordinary code then reads
 * it with the same bounded streams as in blocking mode, so every limit and every answer stays the
 * same: reading stops after {@code limit + 1} bytes, and those bytes make the module's own bounds
 * answer 413 (or 403 for a handshake) as they do for a body streamed in blocking mode. A failed read
 * (an idle timeout, a reset) is replayed after the bytes that arrived, so the module answers it as
 * it does in blocking mode.
 *
 * <p>Not thread-safe, and needs not be: Jetty runs at most one demand callback at a time per request.
 */
final class CollectedBody implements Invocable.Task {
  /**
   * The most allocated before bytes arrive: a Content-Length is only a claim, and a connection
   * that claims megabytes and sends nothing must not hold megabytes.
   */
  private static final int FIRST_ARRAY = 16 * 1024;

  private final Request request;
  private final long limit;
  /** The most the array grows to: the declared Content-Length, else {@code limit + 1}. */
  private final long cap;
  private final Consumer<Request> then;
  private byte[] bytes;
  private int size;

  private CollectedBody(Request request, long limit, Consumer<Request> then) {
    this.request = request;
    this.limit = limit;
    this.then = then;
    long length = request.getLength();
    this.cap = length >= 0 ? Math.min(length, limit + 1) : limit + 1;
    // A small Content-Length sizes the array once; else it grows (doubling) as bytes arrive, never
    // past the declared length, so a whole body declared up front ends in an array of its size.
    this.bytes = new byte[(int) Math.min(length >= 0 ? Math.min(length, FIRST_ARRAY) : 1024, limit + 1)];
  }

  /**
   * The whole body of a request this class collected, as an array of exactly its length, handed
   * over once (the caller may overwrite it, e.g. open a frame in place): no copy of a body that is
   * already in memory. Null when {@code request} was not collected here, its body did not end
   * normally (a failure, or over the limit), or the array is not exactly the body; the caller then
   * reads the body as a stream, which answers those cases as blocking mode does.
   */
  static byte[] takeWhole(Request request) {
    return request instanceof InMemory whole ? whole.takeWhole() : null;
  }

  /**
   * Reads {@code request}'s body, at most {@code limit + 1} bytes of it, then calls {@code then}
   * with a request that reads as the same body from memory (on this thread if the body has arrived,
   * else on the I/O thread that delivered its last bytes).
   */
  static void collect(Request request, long limit, Consumer<Request> then) {
    new CollectedBody(request, Math.min(limit, Integer.MAX_VALUE - 16), then).run();
  }

  @Override
  public InvocationType getInvocationType() {
    return InvocationType.NON_BLOCKING;
  }

  @Override
  public void run() {
    while (true) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(this);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        // A transient failure (a read timeout while the body stalls) is answered like a terminal one:
        // blocking mode's stream reports the same failure the same way.
        Throwable failure = chunk.getFailure();
        chunk.release();
        done(Content.Chunk.from(failure, true));
        return;
      }
      ByteBuffer buffer = chunk.getByteBuffer();
      int room = (int) Math.min(buffer.remaining(), limit + 1 - size);
      if (room > 0) {
        ensure(size + room);
        buffer.get(bytes, size, room);
        size += room;
      }
      boolean last = chunk.isLast();
      chunk.release();
      if (size > limit || last) {
        // Over the limit: what was read is enough for the module's bounds to refuse the body; the
        // rest is never read (those answers close the connection).
        done(Content.Chunk.EOF);
        return;
      }
    }
  }

  private void ensure(int needed) {
    if (needed > bytes.length) {
      // needed > cap only when more arrives than Content-Length declared; Jetty fails such a body.
      bytes = Arrays.copyOf(bytes, (int) Math.max(needed, Math.min((long) bytes.length * 2, cap)));
    }
  }

  private void done(Content.Chunk terminal) {
    boolean whole = terminal == Content.Chunk.EOF && size <= limit && size == bytes.length;
    then.accept(new InMemory(request, ByteBuffer.wrap(bytes, 0, size), terminal, whole ? bytes : null));
  }

  /** The request with its body already read: one data chunk, then {@code terminal}. */
  private static final class InMemory extends Request.Wrapper {
    private Content.Chunk next;
    private final Content.Chunk terminal;
    /** The body as one exact array until {@link #takeWhole} hands it over; null if it is not that. */
    private byte[] whole;

    InMemory(Request request, ByteBuffer body, Content.Chunk terminal, byte[] whole) {
      super(request);
      this.next = body.hasRemaining() ? Content.Chunk.from(body, false) : null;
      this.terminal = terminal;
      this.whole = whole;
    }

    /** Hands the body over; it is then consumed (the content reads as its terminal). */
    byte[] takeWhole() {
      byte[] body = whole;
      if (body != null) {
        whole = null;
        next = null;
      }
      return body;
    }

    @Override
    public Content.Chunk read() {
      Content.Chunk chunk = next;
      if (chunk != null) {
        next = null;
        return chunk;
      }
      return terminal;
    }

    @Override
    public void demand(Runnable demandCallback) {
      demandCallback.run();   // the content is always available
    }

    @Override
    public void fail(Throwable failure) {
      // Nothing is left to read from the wire; a failure of the in-memory copy changes nothing.
    }
  }
}
