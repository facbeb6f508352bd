package dev.parley.it.openrpc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.Session;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

/** Answers values at the edges of their schemas: nulls wherever Java allows them. */
final class CatalogImpl implements Catalog {
  @Override
  public JsonNode anything(JsonNode value) {
    return value;
  }

  @Override
  public String nameOf(int id) {
    return id == 0 ? null : "name-" + id;
  }

  @Override
  public Person person(String name, Optional<String> nickname) {
    return new Person(name, nickname, 42, null);
  }

  @Override
  public Page<Person> people(int limit) {
    return new Page<>(Arrays.asList(new Person("ann", Optional.empty(), 30, Arrays.asList("a", null)), null), limit);
  }

  @Override
  public Map<String, Colour> colours(Set<Colour> wanted) {
    Map<String, Colour> colours = new LinkedHashMap<>();
    for (Colour colour : wanted) {
      colours.put(colour.name().toLowerCase(java.util.Locale.ROOT), colour);
    }
    colours.put("none", null);
    return colours;
  }

  @Override
  public Moments moments() {
    Instant instant = Instant.parse("2024-02-29T12:34:56.789Z");
    return new Moments(instant, LocalDate.of(2024, 2, 29), LocalTime.of(12, 34, 56),
        OffsetTime.of(12, 34, 56, 0, ZoneOffset.ofHours(2)), LocalDateTime.of(2024, 2, 29, 12, 34),
        OffsetDateTime.ofInstant(instant, ZoneOffset.ofHours(-5)),
        ZonedDateTime.ofInstant(instant, ZoneId.of("Europe/Zurich")), Duration.ofMillis(1500),
        Period.of(1, 2, 3), UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
        URI.create("https://example.org/catalog"));
  }

  @Override
  public byte[] bytes(byte[] data) {
    return data;
  }

  @Override
  public char initial(String text) {
    return text.charAt(0);
  }

  @Override
  public BigDecimal exact(BigDecimal value, BigInteger scale) {
    return value.multiply(new BigDecimal(scale));
  }

  @Override
  public OptionalInt maybe(boolean present) {
    return present ? OptionalInt.of(7) : OptionalInt.empty();
  }

  @Override
  public void nothing() {}

  @Override
  public Map<Long, List<Double>> series(Map<UUID, String> names) {
    Map<Long, List<Double>> series = new LinkedHashMap<>();
    series.put((long) names.size(), List.of(1.5, -2.0));
    series.put(-1L, null);
    return series;
  }

  @Override
  public Gadget gadget() {
    return new Gadget();
  }

  @Override
  public Shape shape() {
    return new Circle();
  }

  @Override
  public int[] doubled(int... values) {
    return Arrays.stream(values).map(v -> 2 * v).toArray();
  }

  @Override
  public String whoAmI(Session session) {
    return session.isValid() ? "someone" : null;
  }
}
