package dev.parley.crypto;

import dev.parley.crypto.CryptoException.Reason;
import dev.parley.crypto.internal.ReplayWindow;
import dev.parley.crypto.internal.channel.EpochKey;
import dev.parley.crypto.internal.channel.FrameFormat;
import dev.parley.crypto.internal.channel.FrameOpener;
import dev.parley.crypto.internal.channel.FrameSealer;
import dev.parley.crypto.internal.channel.Limits;
import dev.parley.crypto.internal.channel.NonceObserver;
import dev.parley.crypto.internal.channel.SendDirection;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The server's side of one session's data frames (PROTOCOL.md §10–§13): it opens requests through
 * the replay window (§11: check, open every chunk, then mark) and seals each response with its
 * request's counter and the HTTP status bound in (§10.4). Both work inside the caller's own array:
 * a request frame is opened where it was read, a response is sealed in the buffer that holds its
 * body. {@link #retire()} stops the session accepting requests and keeps the record of what it
 * accepted, so that the server can answer later copies truthfully (§13.2).
 *
 * <p>Thread-safe: many threads may open and seal on one channel at once; it holds no
 * {@code Cipher}. When a counter or epoch limit or the maximum age is reached, sealing throws
 * {@link CryptoException} with {@link Reason#LIMIT}. {@link #destroy()} zeroes the keys.
 *
 * <pre>{@code
 * ServerChannel channel = ServerChannel.create(keys, ServerChannel.DEFAULT_MAX_AGE, Clock.systemUTC());
 * Plaintext in = channel.openRequestInPlace(frame, 0, frame.length, "POST", "/calc");
 * byte[] buf = Arrays.copyOf(answer, channel.sealedLength(answer.length));   // room for the frame
 * int frameLength = channel.sealResponseInPlace(in.counter(), 200, "POST", "/calc", buf, answer.length);
 * send(buf, 0, frameLength);
 * }</pre>
 */
public final class ServerChannel extends SessionChannel {
  /** The maximum session age of PROTOCOL.md §12.4 when nothing else is configured: 24 hours. */
  public static final Duration DEFAULT_MAX_AGE = ChannelCore.DEFAULT_MAX_AGE;

  private final ReplayWindow window;

  private ServerChannel(SessionKeys keys, Duration maxAge, Clock clock, Limits limits, NonceObserver observer) {
    super(new ChannelCore(false, keys, maxAge, clock, limits, observer));
    this.window = new ReplayWindow(limits.replayWindow());
  }

  /**
   * The server side of the session {@code keys} describe; it refuses to seal once {@code maxAge}
   * has passed on {@code clock} (PROTOCOL.md §12.4). The keys are copied: destroy {@code keys}
   * afterwards.
   *
   * @throws IllegalArgumentException if {@code maxAge} is not positive
   */
  public static ServerChannel create(SessionKeys keys, Duration maxAge, Clock clock) {
    return new ServerChannel(keys, maxAge, clock, Limits.DEFAULT, NonceObserver.NONE);
  }

  /** For tests: small limits instead of 2^24 frames, and a hook that sees every nonce. */
  static ServerChannel create(SessionKeys keys, Duration maxAge, Clock clock, Limits limits, NonceObserver observer) {
    return new ServerChannel(keys, maxAge, clock, limits, observer);
  }

  /**
   * Opens the request frame {@code frame[offset, offset + length)} in place, with the checks of
   * PROTOCOL.md §10.5 in their order: a request frame of this session, counter and epoch in range,
   * the replay check, every chunk, then the replay mark (§11). Each chunk is decrypted where it lies
   * and the plaintext is gathered at {@code frame[offset + 29]} (right after the header); the
   * returned view points into {@code frame}.
   *
   * <p>After a failure the content of {@code frame[offset, offset + length)} is undefined (the
   * body region is zeroed once decryption has begun), and the counter is not marked: never read the
   * buffer as plaintext, and keep what a reject needs ({@link HttpBinding#peekRequest}) before.
   *
   * <pre>{@code
   * Plaintext p = channel.openRequestInPlace(buf, 0, n, "POST", "/calc");
   * Object call = json.readValue(p.array(), p.offset(), p.length(), Call.class);
   * }</pre>
   *
   * @return the request counter and the plaintext, a view into {@code frame}
   * @throws CryptoException if the frame is malformed, tampered with, or a replay
   * @throws IndexOutOfBoundsException if {@code offset}/{@code length} lie outside {@code frame}
   */
  public Plaintext openRequestInPlace(byte[] frame, int offset, int length, String method, String route)
      throws CryptoException {
    Objects.requireNonNull(frame, "frame == null");
    Objects.checkFromIndexSize(offset, length, frame.length);
    FrameFormat.Header h = FrameFormat.parse(frame, offset, length,
        FrameFormat.REQUEST_HEADER_LENGTH + FrameFormat.TAG_LENGTH, FrameFormat.TYPE_REQUEST, core.sessionId,
        core.limits);
    if (!window.check(h.ctr())) {
      throw FrameFormat.rejected(Reason.REPLAY);
    }
    EpochKey key = core.keyFor(h.epoch());
    byte[] ad = FrameFormat.associatedData(frame, offset, FrameFormat.REQUEST_HEADER_LENGTH, method, route, -1);
    int n = FrameOpener.openInPlace(core.receive, key, h.ctr(), ad, frame, offset, length,
        FrameFormat.REQUEST_HEADER_LENGTH, () -> markAccepted(h.ctr(), key));
    return new Plaintext(h.ctr(), frame, offset + FrameFormat.REQUEST_HEADER_LENGTH, n);
  }

  private void markAccepted(long ctr, EpochKey key) throws CryptoException {
    if (!window.markIfNew(ctr)) {
      throw FrameFormat.rejected(Reason.REPLAY);
    }
    core.receive.accepted(key);
  }

  /**
   * The length of the response frame sealed around a body of {@code bodyLength} bytes: the
   * 37-byte header, the body and a 16-byte tag per chunk of at most 64 KiB (PROTOCOL.md
   * §10.1–§10.2). Size the array given to {@link #sealResponseInPlace} with it.
   *
   * @throws IllegalArgumentException if {@code bodyLength} is negative or the frame would not fit
   *     in one array
   */
  public int sealedLength(int bodyLength) {
    long total = FrameFormat.frameLength(FrameFormat.TYPE_RESPONSE, bodyLength);
    if (total > FrameFormat.MAX_ARRAY_FRAME) {
      throw new IllegalArgumentException("a body of " + bodyLength + " bytes is too large for one frame array");
    }
    return (int) total;
  }

  /**
   * Seals the response body {@code array[0, length)} to the request with counter
   * {@code requestCounter} in place, with {@code status}, {@code method} and {@code route} bound
   * into its associated data (PROTOCOL.md §10.4): afterwards {@code array[0, returned length)} is
   * the frame. For an answer already in a buffer with room to spare (a growable buffer usually
   * has), this spares a body-sized frame array. Bad arguments are refused before a counter is taken.
   *
   * @return the frame length, {@code sealedLength(length)}
   * @throws IllegalArgumentException if {@code array} is shorter than {@code sealedLength(length)},
   *     or the status or request counter is out of range
   * @throws IndexOutOfBoundsException if {@code length} is negative or beyond the array
   * @throws CryptoException {@link Reason#LIMIT} if the session reached a limit or its maximum age,
   *     {@link Reason#EXPIRED} once destroyed
   */
  public int sealResponseInPlace(long requestCounter, int status, String method, String route, byte[] array,
      int length) throws CryptoException {
    Objects.requireNonNull(array, "array == null");
    Objects.checkFromIndexSize(0, length, array.length);
    int frameLength = sealedLength(length);
    if (array.length < frameLength) {
      throw new IllegalArgumentException("array has " + array.length + " bytes but the frame needs " + frameLength
          + "; size it with sealedLength(" + length + ")");
    }
    FrameFormat.checkStatus(status);
    if (requestCounter < 0 || requestCounter >= core.limits.maxFrames()) {
      throw new IllegalArgumentException("requestCounter out of range: " + requestCounter);
    }
    SendDirection.Reservation r = core.reserve();
    byte[] header = FrameFormat.header(FrameFormat.TYPE_RESPONSE, r.epoch().number(), core.sessionId, r.counter(),
        requestCounter);
    byte[] ad = FrameFormat.associatedData(header, header.length, method, route, status);
    return FrameSealer.sealInPlace(core.send, r, header, ad, array, length);
  }

  /**
   * Stops this channel accepting requests: every request frame not yet marked fails from now on (it
   * is never run), while answers of calls already accepted can still be sealed. Returns the record
   * of what the session accepted, which a server keeps after dropping the session to answer later
   * copies of its frames truthfully (PROTOCOL.md §13.2). Idempotent.
   */
  public Retired retire() {
    window.close();
    return new Retired(window);
  }

  /** Zeroes every key; sealing and opening fail afterwards. Idempotent. */
  public void destroy() {
    core.destroy();
  }

  /**
   * What a retired session accepted (see {@link #retire()}); holds no key. Thread-safe.
   *
   * <pre>{@code
   * ServerChannel.Retired record = channel.retire();
   * if (record.neverAccepted(header.counter())) {
   *   respond(410, instance.reject(sid, header.counter(), header.tag(), "/calc"));
   * }
   * }</pre>
   */
  public static final class Retired {
    private final ReplayWindow window;

    private Retired(ReplayWindow window) {
      this.window = window;
    }

    /**
     * True when the request with this counter was never accepted and never will be: the session
     * provably did not run it (PROTOCOL.md §13.2). False when it was accepted, or is too old to tell.
     */
    public boolean neverAccepted(long counter) {
      return window.check(counter);
    }
  }
}
