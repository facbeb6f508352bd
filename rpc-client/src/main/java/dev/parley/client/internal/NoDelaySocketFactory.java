package dev.parley.client.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import javax.net.SocketFactory;

/**
 * Wraps a socket factory so every socket has TCP_NODELAY set. OkHttp does not set it, and without
 * it a request body written in two segments can stall ~40 ms on the peer's delayed ACK (docs/CLIENT.md "Settings and defaults").
 * OkHttp creates unconnected sockets and connects them itself; the option is set before connecting.
 * Over the JDK's default factory the unconnected sockets are channel-backed ({@code
 * SocketChannel.open().socket()}), which {@link ConnectionProbe} needs to check an idle connection
 * without waiting.
 *
 * <p>Equal when the delegates are equal, because OkHttp pools connections per address and the
 * socket factory is part of the address: two client modules over the same shared client can then
 * reuse each other's connections.
 */
public final class NoDelaySocketFactory extends SocketFactory {
  private final SocketFactory delegate;
  private final boolean channels;

  /** Channel-backed sockets over the default factory (for {@link ConnectionProbe}). */
  public NoDelaySocketFactory(SocketFactory delegate) {
    this(delegate, true);
  }

  /**
   * {@code channels}: over the JDK's default factory, create channel-backed sockets so that
   * {@link ConnectionProbe} can check them without blocking. They cost about 1 µs more per timed
   * read on JDK 17 (it switches the channel's blocking mode around each one), so a client that
   * never probes (HTTP/2 only) asks for plain sockets.
   */
  public NoDelaySocketFactory(SocketFactory delegate, boolean channels) {
    this.delegate = Objects.requireNonNull(delegate, "delegate == null");
    this.channels = channels;
  }

  /** The factory this one wraps. */
  public SocketFactory delegate() {
    return delegate;
  }

  private static Socket noDelay(Socket socket) throws IOException {
    socket.setTcpNoDelay(true);
    return socket;
  }

  @Override
  public Socket createSocket() throws IOException {
    if (channels && delegate == SocketFactory.getDefault()) {
      // The same plain TCP socket, but backed by a channel, so that ConnectionProbe can check it
      // for a closed connection without blocking.
      return noDelay(SocketChannel.open().socket());
    }
    return noDelay(delegate.createSocket());
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return noDelay(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return noDelay(delegate.createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return noDelay(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return noDelay(delegate.createSocket(address, port, localAddress, localPort));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NoDelaySocketFactory other && delegate.equals(other.delegate) && channels == other.channels;
  }

  @Override
  public int hashCode() {
    return delegate.hashCode() ^ (channels ? 0x4e44 : 0x4e45);
  }
}
