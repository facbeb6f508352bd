package dev.parley.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.server.ServerModule;
import org.junit.jupiter.api.Test;

/** The builder refuses what cannot work, at build() or at the second setting, saying what to change. */
class ParleyServerBuilderTest {
  @Test
  void aServerWithoutModulesIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParleyServer.builder().build());
    assertTrue(e.getMessage().contains("module("), e.getMessage());
  }

  @Test
  void twoModulesAtOnePathAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ParleyServer.builder().module(Modules.counter()).module(Modules.counter()).build());
    assertTrue(e.getMessage().contains("/counter"), e.getMessage());
  }

  @Test
  void aModulesOwnInvalidSettingsFailAtBuild() {
    ServerModule.Builder noFunctions = ServerModule.builder("/empty");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ParleyServer.builder().module(noFunctions).build());
    assertTrue(e.getMessage().contains("functions"), e.getMessage());
  }

  @Test
  void aModuleWithASecureKeyOfItsOwnCannotAlsoBeEncryptedByTheServer() {
    ServerModule.Builder keyed = Modules.counter().secureKey(TestKey.random().secureKey());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ParleyServer.builder().module(keyed).encrypted().build());
    assertTrue(e.getMessage().contains("encrypted()"), e.getMessage());
  }

  @Test
  void theSameModuleBuilderCannotBeAddedTwice() {
    ServerModule.Builder module = Modules.counter();
    ParleyServer.Builder builder = ParleyServer.builder().module(module);
    assertThrows(IllegalStateException.class, () -> builder.module(module));
  }

  @Test
  void aSecondEncryptedIsRefused() {
    ParleyServer.Builder builder = ParleyServer.builder().encrypted();
    IllegalStateException e = assertThrows(IllegalStateException.class, builder::encrypted);
    assertTrue(e.getMessage().contains("encrypted"), e.getMessage());
  }

  @Test
  void aSecondTickerIsRefusedNamingTheFirst() {
    ParleyServer.Builder builder = ParleyServer.builder().ticker(new ManualTicker());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> builder.ticker(new ManualTicker()));
    assertTrue(e.getMessage().contains("ManualTicker["), e.getMessage());
  }

  @Test
  void aSecondClockIsRefusedNamingTheFirst() {
    ParleyServer.Builder builder = ParleyServer.builder().clock(new ManualClock());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> builder.clock(new ManualClock()));
    assertTrue(e.getMessage().contains("ManualClock["), e.getMessage());
  }

  @Test
  void aSecondServerSettingsIsRefused() {
    ParleyServer.Builder builder = ParleyServer.builder().serverSettings(b -> b.maxThreads(8));
    assertThrows(IllegalStateException.class, () -> builder.serverSettings(b -> b.maxThreads(16)));
  }

  @Test
  void aBuilderBuildsOneServer() {
    ParleyServer.Builder builder = ParleyServer.builder().module(Modules.counter());
    builder.build();
    assertThrows(IllegalStateException.class, builder::build);
  }

  @Test
  void thePortOfAServerNotStartedYetIsRefused() {
    ParleyServer server = ParleyServer.builder().module(Modules.counter()).build();
    IllegalStateException e = assertThrows(IllegalStateException.class, server::port);
    assertTrue(e.getMessage().contains("start()"), e.getMessage());
  }
}
