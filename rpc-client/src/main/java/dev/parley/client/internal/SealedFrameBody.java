package dev.parley.client.internal;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * The body of one sealed request: the frame, written once and then let go.
 *
 * <p>A sealed frame is never sent twice (PROTOCOL.md §11: the server rejects a replayed counter;
 * a retry is sealed anew with a new counter), so this body is {@linkplain #isOneShot one-shot}: OkHttp
 * then never retries it on its own, and an interceptor that logs bodies leaves the ciphertext out.
 * Once written, it drops its reference to the frame, so a large request's frame does not stay
 * reachable (through the call's {@code Request}) while the answer is awaited and read.
 */
public final class SealedFrameBody extends RequestBody {
  private final MediaType type;
  private final long length;
  private final AtomicReference<byte[]> frame;

  public SealedFrameBody(byte[] frame, MediaType type) {
    this.type = type;
    this.length = frame.length;
    this.frame = new AtomicReference<>(frame);
  }

  @Override
  public MediaType contentType() {
    return type;
  }

  @Override
  public long contentLength() {
    return length;
  }

  @Override
  public boolean isOneShot() {
    return true;
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    byte[] bytes = frame.getAndSet(null);
    if (bytes == null) {
      throw new IOException("a sealed frame is written once; a second send would be a replay (PROTOCOL.md §11)");
    }
    sink.write(bytes);
  }
}
