package dev.parley.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.client.ClientModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Settings of the RpcServer itself reach it. */
class ServerSettingsTest {
  @RegisterExtension
  static final ParleyServer server = ParleyServer.builder()
      .module(Modules.counter())
      .serverSettings(b -> b.http2Cleartext(true))
      .build();

  @Test
  void aServerWithHttp2CleartextAnswersAClientThatSpeaksOnlyHttp2() {
    ClientModule h2 = server.client(Modules.COUNTER, b -> b.http2PriorKnowledge(true));
    assertEquals(3, new CounterClient(h2).add(1, 2));
  }
}
