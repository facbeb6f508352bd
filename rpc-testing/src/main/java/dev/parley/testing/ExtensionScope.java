package dev.parley.testing;

/**
 * Which JUnit context a {@link ParleyServer} belongs to: the one it was first called for (its
 * "home": the class for a static field, the test for an instance field), whose end closes it, and
 * the one that started it, whose end stops it (a server stopped by a test is started again by the
 * next one). Thread-safe.
 */
final class ExtensionScope {
  /** What the end of a context means for the server. */
  enum Exit { CLOSE, STOP, NONE }

  private String home;
  private String owner;

  /** A context begins; returns true when the server must be started for it (it is not running). */
  synchronized boolean enter(String id, boolean running) {
    if (home == null) {
      home = id;
    }
    if (running) {
      return false;
    }
    owner = id;
    return true;
  }

  /** A context ends. */
  synchronized Exit exit(String id) {
    boolean owned = id.equals(owner);
    if (owned) {
      owner = null;
    }
    if (id.equals(home)) {
      return Exit.CLOSE;
    }
    return owned ? Exit.STOP : Exit.NONE;
  }
}
