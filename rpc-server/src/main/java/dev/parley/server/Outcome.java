package dev.parley.server;

import dev.parley.RemoteException;
import dev.parley.internal.jsonrpc.RequestId;
import dev.parley.internal.jsonrpc.ResponseBuffer;
import dev.parley.internal.jsonrpc.ServerResponseWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The answer to one request of a body: a result or an error, for the request's id. */
record Outcome(RequestId id, String method, Object result, RemoteException error) {
  private static final Logger LOG = LoggerFactory.getLogger(Outcome.class);

  static Outcome success(RequestId id, String method, Object result) {
    return new Outcome(id, method, result, null);
  }

  static Outcome failure(RequestId id, String method, RemoteException error) {
    return new Outcome(id, method, null, error);
  }

  /**
   * About how many bytes the answer takes, to size its buffer once instead of doubling it up from
   * a few hundred bytes: close for a byte-array result (base64) or a text result (ASCII; other text
   * grows the buffer once more), a small default otherwise.
   */
  int sizeHint() {
    long payload;
    if (result instanceof byte[] bytes) {
      payload = (bytes.length + 2L) / 3 * 4;
    } else if (result instanceof CharSequence text) {
      payload = text.length();
    } else {
      return 256;
    }
    return (int) Math.min(payload + 64, 1 << 30);   // a guess: never near the array limit
  }

  void write(ResponseBuffer out) {
    if (error != null) {
      ServerResponseWriter.writeError(out, id, error);
      return;
    }
    Exception failure = ServerResponseWriter.writeResult(out, id, result);
    if (failure != null) {
      LOG.warn("the result of {} could not be serialised; answered -32603", method, failure);
    }
  }
}
