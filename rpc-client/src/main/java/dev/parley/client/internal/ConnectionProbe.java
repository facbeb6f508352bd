package dev.parley.client.internal;

import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.internal.connection.RealConnection;

/**
 * An OkHttp network interceptor that runs right before a request is written to its connection: it
 * records that the write begins (in the request's {@link SendState} tag), after checking whether the
 * server already closed the HTTP/1.1 connection OkHttp chose (typically a pooled keep-alive connection of
 * a server that restarted). OkHttp itself only probes connections idle for 10 s or more.
 *
 * <p>The check is one non-blocking read of at most one byte from the socket's channel, so it
 * never waits (a healthy connection costs one {@code read} system call that returns at once):
 * <ul>
 *   <li>end of stream (the server's FIN arrived) or an error such as a reset: the connection is
 *       dead;</li>
 *   <li>a byte: the server sent something on a connection with no request outstanding, which
 *       HTTP/1.1 does not allow; the connection is unusable (and the byte is consumed);</li>
 *   <li>nothing: the connection is alive as far as the client can tell; the request is sent.</li>
 * </ul>
 * On an HTTP/1.1 connection OkHttp runs one exchange at a time and has read the previous answer in
 * full before it hands the connection to the next call, so no answer bytes can be pending and
 * nothing else reads the socket meanwhile: the probe cannot steal part of an answer. In the first
 * two cases the socket is closed (so the pool drops it) and {@link RequestNotSentException} is
 * thrown before {@code chain.proceed}, that is before any byte of the request was written.
 *
 * <p>Only connections that sat idle in the pool for 1 ms or more are probed (see
 * {@link #idleLongEnough}); the idle time is OkHttp's own ({@code RealConnection.getIdleAtNs()},
 * from OkHttp's internal package, pinned with the OkHttp version).
 *
 * <p>Only sockets with a channel are probed: the ones Parley's own socket factory creates
 * ({@link NoDelaySocketFactory} over the default factory). TLS sockets (the probe would read TLS
 * records), sockets from a user's own socket factory, and HTTP/2 connections (one reader thread
 * owns the socket; OkHttp notices a closed HTTP/2 connection itself) are left alone.
 */
public final class ConnectionProbe implements Interceptor {
  public static final ConnectionProbe INSTANCE = new ConnectionProbe();
  /** Connections idle for less than this (1 ms) are not probed; see {@link #idleLongEnough}. */
  static final long PROBE_AFTER_IDLE_NANOS = 1_000_000L;

  private ConnectionProbe() {}

  @Override
  public Response intercept(Chain chain) throws IOException {
    Connection connection = chain.connection();
    if (connection != null && connection.protocol() == Protocol.HTTP_1_1 && idleLongEnough(connection)) {
      Socket socket = connection.socket();
      SocketChannel channel = socket.getChannel();
      if (channel != null && !peerOpen(channel)) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // it is dead either way
        }
        throw new RequestNotSentException("the pooled connection to " + chain.request().url().host() + ":"
            + chain.request().url().port() + " was closed by the server before the request was sent");
      }
    }
    SendState state = chain.request().tag(SendState.class);
    if (state != null) {
      state.writing();   // from here on, bytes of the request may reach the server
    }
    return chain.proceed(chain.request());
  }

  /**
   * Whether the connection sat idle in the pool for at least {@link #PROBE_AFTER_IDLE_NANOS}. A hot
   * connection, handed from one call to the next within microseconds, is not probed: that spares
   * busy callers the probe's few system calls (≈ 2 µs), and a server closes an idle connection only
   * after it has been idle for a while (Parley's own server after 100 ms during a graceful stop, or
   * its idle timeout). A close racing with a call that closely is not detectable by any probe (the
   * FIN may still be on its way). A new connection counts from when it was connected (probing one
   * is harmless: it finds nothing).
   */
  private static boolean idleLongEnough(Connection connection) {
    if (connection instanceof RealConnection real) {
      // OkHttp's own record of when the connection last became idle (or was connected).
      long idleAt = real.getIdleAtNs();
      return idleAt != Long.MAX_VALUE && System.nanoTime() - idleAt >= PROBE_AFTER_IDLE_NANOS;
    }
    return true;
  }

  /** True when the non-blocking read finds nothing: no FIN, no reset, no stray byte. */
  static boolean peerOpen(SocketChannel channel) {
    ByteBuffer one = ByteBuffer.allocate(1);
    try {
      synchronized (channel.blockingLock()) {
        channel.configureBlocking(false);
        try {
          return channel.read(one) == 0;
        } finally {
          channel.configureBlocking(true);
        }
      }
    } catch (IOException | RuntimeException e) {
      return false;   // reset, closed, or not switchable: not usable for this request
    }
  }
}
