package dev.parley.client;

import dev.parley.CallOutcome;
import dev.parley.TransportException;
import dev.parley.client.internal.Bodies;
import dev.parley.crypto.CryptoException;
import dev.parley.crypto.HttpBinding;
import dev.parley.crypto.Plaintext;
import dev.parley.internal.jsonrpc.ClientResponseException;
import java.io.IOException;
import okhttp3.Response;

/**
 * Reads and opens a sealed answer (PROTOCOL.md §10.5, client): a response frame of the session, for
 * this very request, sealed with the status of this exchange; then the §15.4 plaintext.
 */
final class SealedAnswers {

  private static final String METHOD = "POST";

  private final String urlText;
  private final String route;
  private final long maxBodyBytes;
  private final Events events;

  SealedAnswers(String urlText, String route, long maxBodyBytes, Events events) {
    this.urlText = urlText;
    this.route = route;
    this.maxBodyBytes = maxBodyBytes;
    this.events = events;
  }

  /** The JSON-RPC bytes of the answer to the request {@code counter}, opened in place. */
  Bodies.Slice open(ClientSession session, long counter, int status, Response response, String what, boolean sync) {
    String type = response.header("Content-Type");
    if (!Bodies.hasMediaType(type, HttpBinding.SEALED_TYPE)) {
      throw new TransportException(urlText + " answered the sealed request of " + what + " with HTTP " + status
          + " and content type " + (type == null ? "none" : Failures.clean(type, 80)) + " instead of "
          + HttpBinding.SEALED_TYPE + "; whether it ran is unknown", status, CallOutcome.UNKNOWN, null);
    }
    byte[] frame;
    try {
      long maxFrame = HttpBinding.maxResponseFrame(maxBodyBytes + 1);   // the flag byte and the JSON, sealed
      frame = Bodies.readAtMost(response.body().byteStream(), maxFrame, "the sealed answer",
          response.body().contentLength());
    } catch (ClientResponseException e) {
      throw new TransportException("invalid answer from " + urlText + " to " + what + ": " + e.getMessage()
          + "; whether it ran is unknown", status, CallOutcome.UNKNOWN, e);
    } catch (IOException e) {
      events.connectionLost(e);
      throw Failures.io(e, urlText, what, true, sync, CallOutcome.UNKNOWN);
    }
    Plaintext plaintext;
    try {
      // In place: the frame array becomes the plaintext, no second body-sized array.
      plaintext = session.channel.openResponseInPlace(frame, 0, frame.length, counter, status, METHOD, route);
    } catch (CryptoException | IllegalStateException e) {
      throw new TransportException("the sealed answer from " + urlText + " to " + what + " failed to open"
          + " (altered on the way, or the answer to another call); whether it ran is unknown", status,
          CallOutcome.UNKNOWN, e);
    }
    try {
      return Bodies.openedJson(plaintext.array(), plaintext.offset(), plaintext.length(), maxBodyBytes);
    } catch (ClientResponseException e) {
      throw new TransportException("invalid answer from " + urlText + " to " + what + ": " + e.getMessage(),
          status, CallOutcome.UNKNOWN, e);
    }
  }
}
