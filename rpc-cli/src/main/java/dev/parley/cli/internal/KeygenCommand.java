package dev.parley.cli.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parley keygen}: a new SecureKey, 32 random bytes in hex, the form
 * {@code openssl rand -hex 32} gives and a server module and its clients read from a key file.
 */
@Command(name = "keygen",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
        "Makes a new SecureKey: 32 random bytes, written as 64 hex digits.",
        "",
        "Without --out the key is printed on standard output. With --out it goes to a",
        "new file only its owner can read and write (mode 0600); an existing file is",
        "never overwritten. Give the same file to the server module (secureKeyFile)",
        "and to its clients (parley call --secure-key-file FILE).",
        ""},
    footer = {"",
        "Examples:",
        "  parley keygen --out calc.key",
        "  parley keygen > calc.key   (then chmod 600 calc.key)"})
final class KeygenCommand implements Callable<Integer> {
  /** The key length: PROTOCOL.md §3.1 asks for at least 32 random bytes. */
  static final int KEY_BYTES = 32;
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  @Spec
  CommandSpec spec;

  @Option(names = {"-o", "--out"}, paramLabel = "FILE",
      description = "Write the key to FILE (created with mode 0600; refused if FILE exists) instead of"
          + " printing it.")
  Path out;

  @Override
  public Integer call() {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    byte[] text = (HexFormat.of().formatHex(key) + "\n").getBytes(StandardCharsets.US_ASCII);
    Arrays.fill(key, (byte) 0);
    try {
      if (out == null) {
        spec.commandLine().getOut().print(new String(text, StandardCharsets.US_ASCII));
        spec.commandLine().getOut().flush();
      } else {
        boolean restricted = write(out, text);
        spec.commandLine().getErr().println("parley: wrote a new SecureKey (" + KEY_BYTES + " random bytes, hex) to "
            + out + (restricted ? "; only its owner can read it (mode 0600)"
                : "; this file system has no POSIX permissions: make sure only the key's owner can read it"));
      }
    } finally {
      Arrays.fill(text, (byte) 0);
    }
    return 0;
  }

  /**
   * Creates {@code file} and writes {@code text} to it. Creating and opening is one step
   * ({@code CREATE_NEW}, with the permissions given at creation), so the key is never in a file
   * another user could open, and an existing file or a symbolic link in its place is refused.
   * Returns false when the file system has no POSIX permissions.
   */
  private static boolean write(Path file, byte[] text) {
    boolean posix = file.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix");
    FileAttribute<?>[] attributes = posix
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
        : new FileAttribute<?>[0];
    SeekableByteChannel channel;
    try {
      channel = Files.newByteChannel(file, EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          attributes);
    } catch (FileAlreadyExistsException e) {
      throw new CliFailure(file + " already exists; parley keygen never overwrites a file (a key in use"
          + " would be lost): remove it first or choose another name");
    } catch (NoSuchFileException e) {
      throw new CliFailure("cannot create " + file + ": its folder does not exist");
    } catch (AccessDeniedException e) {
      throw new CliFailure("cannot create " + file + ": permission denied");
    } catch (IOException e) {
      throw new CliFailure("cannot create " + file + ": " + e.getMessage());
    }
    try (channel) {
      if (posix) {
        // The umask can only take bits away; setting them again makes the mode exactly 0600.
        Files.setPosixFilePermissions(file, OWNER_ONLY);
      }
      ByteBuffer buffer = ByteBuffer.wrap(text);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    } catch (IOException e) {
      // Leave no half-written key behind: the file is ours, created above.
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // the message below still says what failed
      }
      throw new CliFailure("cannot write " + file + ": " + e.getMessage());
    }
    return posix;
  }
}
