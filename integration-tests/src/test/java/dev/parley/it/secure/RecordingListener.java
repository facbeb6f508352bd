package dev.parley.it.secure;

import dev.parley.client.ClientListener;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every {@link ClientListener} event as a short text, in order (pings and logins are not
 * recorded; a subclass may count them).
 */
public class RecordingListener implements ClientListener {
  private final List<String> events = new CopyOnWriteArrayList<>();

  @Override
  public void onSessionOpen(String sid) {
    events.add("sessionOpen");
  }

  @Override
  public void onSessionExpired(String sid) {
    events.add("sessionExpired");
  }

  @Override
  public void onWrongSecureKey() {
    events.add("wrongSecureKey");
  }

  @Override
  public void onEncryptionNotSupported() {
    events.add("encryptionNotSupported");
  }

  @Override
  public void onEncryptionRequired() {
    events.add("encryptionRequired");
  }

  @Override
  public void onRepost(String function) {
    events.add("repost " + function);
  }

  @Override
  public void onConnectionLost(IOException e) {
    events.add("connectionLost");
  }

  public List<String> events() {
    return List.copyOf(events);
  }

  public long count(String event) {
    return events.stream().filter(event::equals).count();
  }
}
