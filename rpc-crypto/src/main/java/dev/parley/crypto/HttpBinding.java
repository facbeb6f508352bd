package dev.parley.crypto;

/**
 * The names of the HTTP binding (PROTOCOL.md §15): the content types of handshake and sealed
 * bodies and the headers Parley reads and writes, declared once for the client, the server and the
 * test peers.
 */
public final class HttpBinding {
  /** §15.2: the body of a handshake message. */
  public static final String HANDSHAKE_TYPE = "application/vnd.parley.handshake";
  /** §15.3: the body of a sealed request or response frame. */
  public static final String SEALED_TYPE = "application/vnd.parley.sealed";
  /** §13.3: the body of a 410 reject. */
  public static final String REJECT_TYPE = "application/vnd.parley.reject";
  /** §15.2, §15.3: the session id, both ways. */
  public static final String SESSION_HEADER = "Parley-Session";
  /** §15.7: the header of a plain 503 from a module that is stopping and ran nothing. */
  public static final String DRAINING_HEADER = "Parley-Draining";

  private HttpBinding() {}
}
