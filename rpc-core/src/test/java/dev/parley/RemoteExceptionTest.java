package dev.parley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteExceptionTest {
  record Shortfall(long balance, long requested) {}

  /** A bean Jackson cannot write. */
  public static final class Unwritable {
    public String getValue() {
      throw new IllegalStateException("no");
    }
  }

  @Test
  void ofWritesTheValueAsTheErrorsData() {
    RemoteException e = RemoteException.of(4001, "insufficient funds", new Shortfall(5, 9));
    assertEquals(4001, e.code());
    assertEquals("insufficient funds", e.getMessage());
    assertEquals(5, e.data().get("balance").asLong());
    assertEquals(9, e.data().get("requested").asLong());
  }

  @Test
  void ofWithoutAValueHasNoData() {
    assertNull(RemoteException.of(7, "m", null).data());
  }

  @Test
  void ofWithoutAMessageSaysApplicationError() {
    assertEquals("Application error", RemoteException.of(7, null, null).getMessage());
    assertEquals("Application error", RemoteException.of(7, " ", null).getMessage());
  }

  @Test
  void ofRefusesAValueThatCannotBeWrittenAsJson() {
    assertThrows(IllegalArgumentException.class, () -> RemoteException.of(7, "m", new Unwritable()));
  }

  @Test
  void dataAsDecodesTheDataIntoTheWantedType() {
    RemoteException e = RemoteException.of(4001, "m", new Shortfall(5, 9));
    assertEquals(new Shortfall(5, 9), e.dataAs(Shortfall.class));
    assertEquals(List.of(1, 2), RemoteException.of(1, "m", List.of(1, 2)).dataAs(new TypeRef<List<Integer>>() {}.type()));
  }

  @Test
  void dataAsIsNullWithoutDataOrWhenTheDataHasAnotherShape() {
    assertNull(new RemoteException(1, "m").dataAs(Shortfall.class));
    assertNull(RemoteException.of(1, "m", List.of("not", "a", "shortfall")).dataAs(Shortfall.class));
  }
}
