package dev.parley.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON shapes of the raw and gRPC contenders, and their shared mapper. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** {"a":1,"b":2}. */
  record AddRequest(int a, int b) {}

  /** {"result":3}. */
  record AddResult(int result) {}

  /** {"data":"<base64>"}, request and answer of echo. */
  record Bytes(byte[] data) {}
}
