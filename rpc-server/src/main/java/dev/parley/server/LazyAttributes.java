package dev.parley.server;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The attribute map of a call ({@link ServerCall}) or a session ({@link ServerSession}), created on
 * first use: most calls and sessions never hold an attribute, and idle sessions are counted in
 * bytes. Thread-safe; creation locks the object itself.
 */
abstract class LazyAttributes {
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
  final void clearAttributes() {
    ConcurrentHashMap<String, Object> map = attributes;
    if (map != null) {
      map.clear();
    }
  }
}
