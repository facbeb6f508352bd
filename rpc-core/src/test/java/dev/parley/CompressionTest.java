package dev.parley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CompressionTest {

  @Test
  void deflaterLevelsAreZeroOneSixAndNine() {
    assertEquals(0, Compression.NONE.deflaterLevel());
    assertEquals(1, Compression.FAST.deflaterLevel());
    assertEquals(6, Compression.DEFAULT.deflaterLevel());
    assertEquals(9, Compression.MAX.deflaterLevel());
  }

  @Test
  void parseAcceptsTheFourNamesInAnyCase() {
    assertEquals(Compression.NONE, Compression.parse("none"));
    assertEquals(Compression.FAST, Compression.parse("FAST"));
    assertEquals(Compression.DEFAULT, Compression.parse("Default"));
    assertEquals(Compression.MAX, Compression.parse(" max "));
  }

  @Test
  void parseRejectsOtherTextListingTheNames() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Compression.parse("gzip"));
    assertEquals("compression must be one of none, fast, default or max, got \"gzip\"", e.getMessage());
  }

  @Test
  void configNameIsTheLowerCaseName() {
    assertEquals("default", Compression.DEFAULT.configName());
  }
}
