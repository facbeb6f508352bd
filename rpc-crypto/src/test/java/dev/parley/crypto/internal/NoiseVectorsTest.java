package dev.parley.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Reproduces the cacophony {@code Noise_NN}, {@code Noise_NNpsk0} and {@code Noise_NNpsk2}
 * {@code _25519_AESGCM_SHA256} vectors with {@link SymmetricState}, {@link X25519} and
 * {@link AesGcm}: every handshake and transport message byte for byte, and the handshake hash.
 * The small handshake driver below follows Noise rev 34 §5.3 (WriteMessage/ReadMessage) and §9
 * (psk modifier): a {@code psk} token calls MixKeyAndHash(psk), and in psk handshakes every
 * {@code e} token also calls MixKey(e.public_key). ChaChaPoly vectors are not used by Parley.
 */
class NoiseVectorsTest {
  private static final JsonNode VECTORS = Vectors.load("noise/cacophony-nn.json").get("vectors");

  @Test
  void noiseNnAesGcmVectorIsReproduced() throws Exception {
    runVector("Noise_NN_25519_AESGCM_SHA256", -1);
  }

  @Test
  void noiseNnPsk0AesGcmVectorIsReproduced() throws Exception {
    runVector("Noise_NNpsk0_25519_AESGCM_SHA256", 0);
  }

  @Test
  void noiseNnPsk2AesGcmVectorIsReproduced() throws Exception {
    runVector("Noise_NNpsk2_25519_AESGCM_SHA256", 2);
  }

  @Test
  void aTamperedHandshakeMessageFailsToDecrypt() throws Exception {
    JsonNode v = vector("Noise_NNpsk0_25519_AESGCM_SHA256");
    Party initiator = new Party(v, "init", 0);
    Party responder = new Party(v, "resp", 0);
    byte[] msg1 = initiator.writeMessage1(new byte[] {1, 2, 3});
    msg1[msg1.length - 1] ^= 0x01;
    org.junit.jupiter.api.Assertions.assertThrows(javax.crypto.AEADBadTagException.class,
        () -> responder.readMessage1(msg1));
  }

  private static void runVector(String name, int pskPosition) throws Exception {
    JsonNode v = vector(name);
    Party initiator = new Party(v, "init", pskPosition);
    Party responder = new Party(v, "resp", pskPosition);
    JsonNode messages = v.get("messages");
    assertTrue(messages.size() > 2);

    JsonNode m1 = messages.get(0);
    byte[] msg1 = initiator.writeMessage1(Vectors.hex(m1, "payload"));
    assertEquals(Vectors.hex(m1, "ciphertext").length, msg1.length);
    assertArrayEquals(Vectors.hex(m1, "ciphertext"), msg1, "message 1");
    assertArrayEquals(Vectors.hex(m1, "payload"), responder.readMessage1(msg1));

    JsonNode m2 = messages.get(1);
    byte[] msg2 = responder.writeMessage2(Vectors.hex(m2, "payload"));
    assertArrayEquals(Vectors.hex(m2, "ciphertext"), msg2, "message 2");
    assertArrayEquals(Vectors.hex(m2, "payload"), initiator.readMessage2(msg2));

    assertArrayEquals(Vectors.hex(v, "handshake_hash"), initiator.ss.handshakeHash(), "initiator handshake hash");
    assertArrayEquals(Vectors.hex(v, "handshake_hash"), responder.ss.handshakeHash(), "responder handshake hash");

    initiator.split(true);
    responder.split(false);
    for (int i = 2; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      boolean fromInitiator = i % 2 == 0;
      Party sender = fromInitiator ? initiator : responder;
      Party receiver = fromInitiator ? responder : initiator;
      byte[] ct = sender.send.encryptWithAd(new byte[0], Vectors.hex(m, "payload"));
      assertArrayEquals(Vectors.hex(m, "ciphertext"), ct, "transport message " + (i + 1));
      assertArrayEquals(Vectors.hex(m, "payload"), receiver.recv.decryptWithAd(new byte[0], ct));
    }
    initiator.ss.destroy();
    responder.ss.destroy();
  }

  private static JsonNode vector(String name) {
    for (JsonNode v : VECTORS) {
      if (v.get("protocol_name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no vector " + name);
  }

  /** One side of an NN / NNpsk0 / NNpsk2 handshake: {@code -> [psk,] e} then {@code <- e, ee [, psk]}. */
  private static final class Party {
    final SymmetricState ss;
    final X25519.KeyPair e;
    final byte[] psk;
    final int pskPosition;
    byte[] remoteEphemeral;
    SymmetricState.CipherState send;
    SymmetricState.CipherState recv;

    Party(JsonNode v, String role, int pskPosition) {
      this.ss = new SymmetricState(v.get("protocol_name").asText());
      this.ss.mixHash(Vectors.hex(v, role + "_prologue"));
      // The vectors give only private keys; public = X25519(priv, 9) (see the vectors README).
      this.e = X25519.fromPrivate(Vectors.hex(v, role + "_ephemeral"));
      this.pskPosition = pskPosition;
      this.psk = pskPosition < 0 ? null : Vectors.hex(v.get(role + "_psks").get(0).asText());
    }

    /** Initiator: {@code -> [psk,] e} with a payload. */
    byte[] writeMessage1(byte[] payload) {
      if (pskPosition == 0) {
        ss.mixKeyAndHash(psk);
      }
      writeE();
      return concat(e.publicKey(), ss.encryptAndHash(payload));
    }

    /** Responder: reads message 1, returns its payload. */
    byte[] readMessage1(byte[] msg) throws Exception {
      if (pskPosition == 0) {
        ss.mixKeyAndHash(psk);
      }
      readE(msg);
      return ss.decryptAndHash(Arrays.copyOfRange(msg, 32, msg.length));
    }

    /** Responder: {@code <- e, ee [, psk]}. */
    byte[] writeMessage2(byte[] payload) throws Exception {
      writeE();
      ee();
      if (pskPosition == 2) {
        ss.mixKeyAndHash(psk);
      }
      return concat(e.publicKey(), ss.encryptAndHash(payload));
    }

    /** Initiator: reads message 2, returns its payload. */
    byte[] readMessage2(byte[] msg) throws Exception {
      readE(msg);
      ee();
      if (pskPosition == 2) {
        ss.mixKeyAndHash(psk);
      }
      return ss.decryptAndHash(Arrays.copyOfRange(msg, 32, msg.length));
    }

    void split(boolean initiator) {
      byte[][] keys = ss.split();
      send = new SymmetricState.CipherState(initiator ? keys[0] : keys[1]);
      recv = new SymmetricState.CipherState(initiator ? keys[1] : keys[0]);
      Arrays.fill(keys[0], (byte) 0);
      Arrays.fill(keys[1], (byte) 0);
    }

    private void writeE() {
      ss.mixHash(e.publicKey());
      if (pskPosition >= 0) {
        ss.mixKey(e.publicKey());
      }
    }

    private void readE(byte[] msg) {
      remoteEphemeral = Arrays.copyOfRange(msg, 0, 32);
      ss.mixHash(remoteEphemeral);
      if (pskPosition >= 0) {
        ss.mixKey(remoteEphemeral);
      }
    }

    private void ee() throws Exception {
      byte[] dh = X25519.agree(e.privateKey(), remoteEphemeral);
      ss.mixKey(dh);
      Arrays.fill(dh, (byte) 0);
    }

    private static byte[] concat(byte[] a, byte[] b) {
      byte[] r = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, r, a.length, b.length);
      return r;
    }
  }
}
