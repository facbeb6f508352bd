package dev.parley.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.internal.jsonrpc.RequestId;
import dev.parley.internal.jsonrpc.ResponseBuffer;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A large byte-array or text answer is rendered into a buffer sized once from its result: no
 * doubling from a few hundred bytes, and for a sealed answer room for the frame it is sealed into
 * in place (PROTOCOL.md §10.1, §10.2), so sealing needs no second body-sized array.
 */
class AnswerSizingTest {
  private static final RequestId ID = RequestId.ofNumberText("7");

  private static int frameLength(int plaintext) {
    int chunks = plaintext == 0 ? 1 : (plaintext + 65535) / 65536;
    return 37 + plaintext + 16 * chunks;
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 1000, 65_536, 200_000, 1 << 20})
  void aByteArrayAnswerFitsItsFirstBufferWithRoomForItsFrame(int n) {
    byte[] result = new byte[n];
    Arrays.fill(result, (byte) 0x5a);
    Outcome[] outcomes = {Outcome.success(ID, "echo", result)};

    ResponseBuffer sealed = JsonRpcAnswers.render(false, outcomes, true);
    assertEquals(0, sealed.array()[0], "the flag byte of the sealed plaintext");
    assertTrue(sealed.array().length >= frameLength(sealed.size()),
        "capacity " + sealed.array().length + " for a frame of " + frameLength(sealed.size()));
    assertTrue(sealed.array().length < sealed.size() + sealed.size() / 8 + 512, "no doubled buffer: " + sealed.array().length);

    ResponseBuffer plain = JsonRpcAnswers.render(false, outcomes, false);
    assertTrue(plain.array().length >= plain.size() && plain.array().length < plain.size() + 512,
        "sized once: capacity " + plain.array().length + " for " + plain.size());
    JsonNode answer = ServerHarness.tree(new String(plain.array(), 0, plain.size(), java.nio.charset.StandardCharsets.UTF_8));
    assertArrayEquals(result, Base64.getDecoder().decode(answer.get("result").asText()));
  }

  @ParameterizedTest
  @ValueSource(ints = {10, 300_000})
  void aTextAnswerIsSizedFromItsLength(int n) {
    String text = "t".repeat(n);
    ResponseBuffer plain = JsonRpcAnswers.render(false, new Outcome[] {Outcome.success(ID, "echo", text)}, false);
    assertTrue(plain.array().length >= plain.size() && plain.array().length < plain.size() + 512,
        "sized once: capacity " + plain.array().length + " for " + plain.size());
  }
}
