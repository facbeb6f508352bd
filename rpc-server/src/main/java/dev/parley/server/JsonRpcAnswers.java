package dev.parley.server;

import dev.parley.RemoteException;
import dev.parley.internal.jsonrpc.RequestId;
import dev.parley.internal.jsonrpc.ResponseBuffer;
import dev.parley.internal.jsonrpc.ServerResponseWriter;

/**
 * The JSON-RPC answer to a body, rendered for a plain answer or for sealing: one response object,
 * a batch array without the notifications' entries, or nothing when only notifications came.
 */
final class JsonRpcAnswers {
  /** Room for a response frame's header (37 bytes) and its last chunk's tag, beyond 16 bytes per 64 KiB. */
  private static final int FRAME_HEADROOM = 64;

  private JsonRpcAnswers() {}

  /** A -32700 answer, after {@code reserve} zero bytes (the sealed plaintext's flag byte). */
  static ResponseBuffer parseError(int reserve) {
    ResponseBuffer out = new ResponseBuffer(128);
    for (int i = 0; i < reserve; i++) {
      out.write(0);
    }
    ServerResponseWriter.writeError(out, RequestId.NULL, RemoteException.PARSE_ERROR,
        PlainDispatcher.PARSE_ERROR_MESSAGE, null);
    return out;
  }

  /**
   * The JSON-RPC answer to a body (one response object, or for a {@code batch} an array without
   * notifications), or null when nothing is to be answered. A {@code sealed} answer starts with one
   * zero byte (the sealed plaintext's flag) and is sized with room for the frame it is sealed into
   * in place (PROTOCOL.md §10.1, §10.2: the header and one tag per 64 KiB chunk).
   */
  static ResponseBuffer render(boolean batch, Outcome[] outcomes, boolean sealed) {
    int reserve = sealed ? 1 : 0;
    ResponseBuffer out = null;
    if (batch) {
      for (Outcome outcome : outcomes) {
        if (outcome == null) {
          continue;
        }
        if (out == null) {
          out = new ResponseBuffer(reserve + Math.min(256 * outcomes.length, 64 * 1024));
          for (int i = 0; i < reserve; i++) {
            out.write(0);
          }
          ServerResponseWriter.startBatch(out);
        } else {
          ServerResponseWriter.separator(out);
        }
        outcome.write(out);
      }
      if (out != null) {
        ServerResponseWriter.endBatch(out);
      }
    } else if (outcomes[0] != null) {
      int size = reserve + outcomes[0].sizeHint();
      out = new ResponseBuffer(sealed ? size + FRAME_HEADROOM + size / 4096 : size);
      for (int i = 0; i < reserve; i++) {
        out.write(0);
      }
      outcomes[0].write(out);
    }
    return out;
  }
}
