package dev.parley.bench;

import dev.parley.crypto.internal.AesGcm;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;

/**
 * The raw baseline of {@link FrameBench} and {@link PairedFrameRatio}: JDK AES-256-GCM seal + open
 * of a body in records of at most 64 KiB (the best the JDK does, see {@link AeadBench}), into
 * buffers the caller allocated, with counter nonces and 64 bytes of associated data.
 */
final class RawGcm {
  static final int RECORD = 64 * 1024;

  private final SecretKey key;
  private final byte[] ad;
  private final byte[] nonce = new byte[AesGcm.NONCE_LENGTH];
  private long counter;

  RawGcm() {
    key = AesGcm.key(RandomKeys.bytes(AesGcm.KEY_LENGTH));
    ad = RandomKeys.bytes(64);
  }

  /** The length of {@code size} bytes sealed in records: the body and one tag per record. */
  static int sealedLength(int size) {
    int records = Math.max(1, (size + RECORD - 1) / RECORD);
    return size + records * AesGcm.TAG_LENGTH;
  }

  /** Seals the first {@code size} bytes of {@code body} into {@code sealed}, then opens them into {@code opened}. */
  void sealOpen(byte[] body, int size, byte[] sealed, byte[] opened) throws AEADBadTagException {
    long first = counter;
    int out = 0;
    for (int off = 0; off < size; off += RECORD) {
      out += AesGcm.seal(key, nextNonce(), ad, body, off, Math.min(RECORD, size - off), sealed, out);
    }
    counter = first;
    int in = 0;
    for (int off = 0; off < size; off += RECORD) {
      int len = Math.min(RECORD, size - off) + AesGcm.TAG_LENGTH;
      AesGcm.open(key, nextNonce(), ad, sealed, in, len, opened, off);
      in += len;
    }
  }

  private byte[] nextNonce() {
    long n = ++counter;
    for (int i = 0; i < 8; i++) {
      nonce[4 + i] = (byte) (n >>> (56 - 8 * i));
    }
    return nonce;
  }
}
