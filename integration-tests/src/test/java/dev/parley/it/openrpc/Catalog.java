package dev.parley.it.openrpc;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.RemoteFunction;
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
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

/**
 * One function per kind of value the OpenRPC document describes, each answering values at the
 * edges of its schema (nulls, empty optionals, nested generics), so that the Node validator can check
 * the document against the OpenRPC meta-schema and every answer against the document.
 */
public interface Catalog {
  /** A record with a nullable field, an optional field, a primitive and a list. */
  record Person(String name, Optional<String> nickname, int age, List<String> tags) {}

  /** A generic record: inlined with its type argument. */
  record Page<T>(List<T> items, int next) {}

  /** Every date, time and JDK value type the processor maps. */
  record Moments(Instant instant, LocalDate date, LocalTime time, OffsetTime offsetTime, LocalDateTime local,
      OffsetDateTime offset, ZonedDateTime zoned, Duration duration, Period period, UUID id, URI uri) {}

  enum Colour { RED, GREEN, BLUE }

  /** Jackson-polymorphic: its schema is {}. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
  @JsonSubTypes({@JsonSubTypes.Type(value = Circle.class, name = "circle")})
  abstract class Shape {}

  /** The one kind of shape. */
  final class Circle extends Shape {
    public double radius = 1.5;
  }

  /** A bean: public getters and fields. */
  class Gadget {
    public boolean shiny = true;
    private String label;

    public String getLabel() {
      return label;
    }

    public void setLabel(String label) {
      this.label = label;
    }
  }

  /** Any JSON back as it came. */
  @RemoteFunction JsonNode anything(JsonNode value);

  /** A name, or null when there is none. */
  @RemoteFunction String nameOf(int id);

  @RemoteFunction Person person(String name, Optional<String> nickname);

  @RemoteFunction Page<Person> people(int limit);

  @RemoteFunction Map<String, Colour> colours(Set<Colour> wanted);

  @RemoteFunction Moments moments();

  @RemoteFunction byte[] bytes(byte[] data);

  @RemoteFunction char initial(String text);

  @RemoteFunction BigDecimal exact(BigDecimal value, BigInteger scale);

  @RemoteFunction OptionalInt maybe(boolean present);

  @RemoteFunction void nothing();

  @RemoteFunction Map<Long, List<Double>> series(Map<UUID, String> names);

  @RemoteFunction Gadget gadget();

  @RemoteFunction Shape shape();

  @RemoteFunction int[] doubled(int... values);

  @RemoteFunction String whoAmI(Session session);
}
