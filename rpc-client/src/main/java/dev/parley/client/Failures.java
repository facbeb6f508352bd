package dev.parley.client;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.parley.CallOutcome;
import dev.parley.RpcTimeoutException;
import dev.parley.TransportException;
import dev.parley.client.internal.RequestNotSentException;
import dev.parley.internal.jsonrpc.ClientResponseException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import okhttp3.Response;
import okhttp3.internal.http2.ConnectionShutdownException;
import okhttp3.internal.http2.ErrorCode;
import okhttp3.internal.http2.StreamResetException;
import okio.Buffer;
import okio.BufferedSource;

/** Turns what went wrong in an exchange into Parley's exceptions, with short, safe messages. */
final class Failures {
  private static final int SNIPPET = 120;

  private Failures() {}

  /**
   * An {@link IOException} from OkHttp, for a call whose outcome is {@code outcome} (docs/CLIENT.md
   * "Outcomes and re-sends"); the message says it. {@code sync}: thrown on the caller's thread, so
   * an interruption is the caller's and its flag is restored.
   */
  static TransportException io(IOException e, String url, String what, boolean reading, boolean sync,
      CallOutcome outcome) {
    return io(e, url, what, reading, sync, outcome, null);
  }

  /**
   * {@link #io(IOException, String, String, boolean, boolean, CallOutcome)}, whose timeout message
   * names {@code timeout}: which timeout fired and its value, for example "the per-call timeout (2 s)".
   */
  static TransportException io(IOException e, String url, String what, boolean reading, boolean sync,
      CallOutcome outcome, String timeout) {
    String verdict = outcome == CallOutcome.NOT_RUN ? "; it was not sent, so it did not run"
        : "; it may have reached the server, so whether it ran is unknown";
    if (e instanceof SocketTimeoutException) {
      return new RpcTimeoutException(what + " at " + url + " timed out (" + detail(e)
          + (timeout == null ? "" : ": " + timeout + " elapsed") + ")" + verdict, outcome, e);
    }
    if (e instanceof InterruptedIOException && "timeout".equals(e.getMessage())) {
      return new RpcTimeoutException(what + " at " + url + " timed out (" + (timeout == null ? "the call timeout"
          : timeout) + " elapsed)" + verdict, outcome, e);
    }
    if (e instanceof InterruptedIOException && sync
        && (Thread.currentThread().isInterrupted() || "interrupted".equals(e.getMessage()))) {
      Thread.currentThread().interrupt();
      return new TransportException(what + " at " + url + " was interrupted" + verdict, 0, outcome, e);
    }
    if (reading) {
      return new TransportException("the connection to " + url + " failed while reading the answer to "
          + what + " (" + detail(e) + ")" + verdict, 0, outcome, e);
    }
    if (outcome == CallOutcome.NOT_RUN) {
      return new TransportException("cannot reach " + url + " for " + what + ": " + detail(e) + verdict, 0, outcome, e);
    }
    return new TransportException("the connection to " + url + " failed during " + what + " (" + detail(e) + ")"
        + verdict, 0, outcome, e);
  }

  /**
   * Whether {@code e} proves that the request never reached the server, so that any call, also a
   * non-idempotent one, may be sent again on another connection:
   * <ul>
   *   <li>{@link RequestNotSentException}: Parley's probe found the pooled HTTP/1.1 connection closed
   *       before a byte of the request was written;</li>
   *   <li>OkHttp's {@code ConnectionShutdownException}: the HTTP/2 connection had received the
   *       server's {@code GOAWAY} before the stream was created, so no frame of it was sent;</li>
   *   <li>an HTTP/2 stream reset with {@code REFUSED_STREAM}: the server closed the stream "prior
   *       to any processing" (RFC 9113 §8.7), which is what a server says of streams it will not
   *       serve, for example above its concurrent-stream limit or past a graceful {@code GOAWAY}.</li>
   * </ul>
   */
  static boolean notSent(IOException e) {
    return e instanceof RequestNotSentException
        || e instanceof ConnectionShutdownException
        || (e instanceof StreamResetException reset && reset.errorCode == ErrorCode.REFUSED_STREAM);
  }

  /** A 200 whose body is not a JSON-RPC answer to what was sent. */
  static TransportException invalid(IOException e, String url, String what) {
    String reason;
    if (e instanceof ClientResponseException) {
      reason = e.getMessage();
    } else if (e instanceof JsonParseException jpe) {
      reason = "the body is not JSON: " + jpe.getOriginalMessage();
    } else if (e instanceof JsonProcessingException jpe) {
      reason = "the answer does not decode as the expected type: " + jpe.getOriginalMessage();
    } else {
      reason = detail(e);
    }
    return new TransportException("invalid JSON-RPC answer from " + url + " to " + what + ": " + reason, 200, e);
  }

  /** The exception inside the wrappers a {@code CompletableFuture} adds. */
  static Throwable unwrap(Throwable t) {
    while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * An HTTP status Parley does not expect; 412 (the module requires encryption) gets its own
   * exception. No key authenticates a status, so none of them tells whether the call ran
   * (PROTOCOL.md §14).
   */
  static TransportException status(Response response, String url, String what, Events events) {
    if (response.code() == 412) {
      events.encryptionRequired();
      return new EncryptionRequiredException(url + " answered " + what + " with HTTP 412 (encryption required):"
          + " the module requires encryption and this client does not encrypt; configure this client with the"
          + " server module's SecureKey (secureKey or secureKeyFile). A Parley module that forces encryption"
          + " runs nothing for a plain call, but nothing authenticates a 412, so whether it ran is unknown");
    }
    return status(response, url, what);
  }

  /**
   * An HTTP status Parley does not expect; the message holds a short, cleaned start of the body and
   * says that no key authenticates a status, so whether the call ran is unknown.
   */
  private static TransportException status(Response response, String url, String what) {
    int code = response.code();
    StringBuilder message = new StringBuilder(url).append(" answered ").append(what).append(" with HTTP ").append(code);
    if (!response.message().isEmpty()) {
      message.append(' ').append(clean(response.message(), 60));
    }
    String snippet = snippet(response);
    if (!snippet.isEmpty()) {
      message.append(": ").append(snippet);
    }
    message.append(" (whether it ran is unknown)");
    return new TransportException(message.toString(), code, CallOutcome.UNKNOWN, null);
  }

  private static String snippet(Response response) {
    try {
      BufferedSource source = response.body().source();
      source.request(SNIPPET + 1L);
      Buffer buffer = source.getBuffer();
      long n = Math.min(buffer.size(), SNIPPET);
      String text = buffer.clone().readString(n, StandardCharsets.UTF_8);
      return clean(text, SNIPPET) + (buffer.size() > SNIPPET ? "…" : "");
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** Collapses whitespace and replaces control characters, so a body cannot forge log lines. */
  static String clean(String text, int max) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), max));
    boolean space = false;
    for (int i = 0; i < text.length() && out.length() < max; i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        space = out.length() > 0;
        continue;
      }
      if (space) {
        out.append(' ');
        space = false;
      }
      out.append(Character.isISOControl(c) || c == '\ufffd' ? '?' : c);
    }
    return out.toString();
  }

  static String detail(IOException e) {
    return e.getMessage() == null || e.getMessage().isEmpty() ? e.getClass().getSimpleName() : e.getMessage();
  }
}
