package dev.parley.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The attribute map of a call (the server's {@code CallContext}, the client's {@code ClientCall})
 * or a server session, created on first use: most calls and sessions never hold an attribute, and
 * idle sessions are counted in bytes. Thread-safe; creation locks the object itself. Not API.
 */
public abstract class LazyAttributes {
  private volatile ConcurrentHashMap<String, Object> attributes;

  /** The map, created on the first call. */
  public ConcurrentMap<String, Object> attributes() {
    ConcurrentHashMap<String, Object> map = attributes;
    if (map == null) {
      synchronized (this) {
        map = attributes;
        if (map == null) {
          map = new ConcurrentHashMap<>();
          attributes = map;
        }
      }
    }
    return map;
  }

  /** Empties the map if it was ever created. */
  protected final void clearAttributes() {
    ConcurrentHashMap<String, Object> map = attributes;
    if (map != null) {
      map.clear();
    }
  }
}
