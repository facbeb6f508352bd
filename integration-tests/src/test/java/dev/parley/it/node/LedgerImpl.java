package dev.parley.it.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends each transfer's id, one line, to a file shared by every node of a test. A line is one
 * {@code O_APPEND} write, so it reaches the file (the kernel's page cache) before the answer is sent
 * and survives a {@code kill -9} of the node right after.
 */
final class LedgerImpl implements Ledger {
  private final Path file;
  private final String node;

  LedgerImpl(Path file, String node) {
    this.file = file;
    this.node = node;
  }

  @Override
  public String transfer(String id) {
    try {
      Files.write(file, (id + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
          StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return node;
  }
}
