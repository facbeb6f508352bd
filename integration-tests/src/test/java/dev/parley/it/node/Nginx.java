package dev.parley.it.node;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real nginx (Debian's package, /usr/sbin/nginx) in front of Parley nodes, configured as
 * docs/DEPLOYING.md says: {@code hash $http_parley_session consistent}, so the handshake and every
 * call of a session reach the same node, and a node that refuses connections is skipped.
 */
final class Nginx implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/sbin/nginx");

  private final Process process;
  final int port;
  private final Path dir;

  private Nginx(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /** Starts nginx in {@code dir} in front of {@code upstreams} (ports on 127.0.0.1); returns once it listens. */
  static Nginx start(Path dir, List<Integer> upstreams) throws IOException, InterruptedException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    for (String temp : List.of("body", "proxy", "fastcgi", "uwsgi", "scgi")) {
      Files.createDirectories(dir.resolve(temp));
    }
    String servers = upstreams.stream()
        .map(p -> "    server 127.0.0.1:" + p + " max_fails=1 fail_timeout=30s;")
        .collect(Collectors.joining("\n"));
    String config = """
        daemon off;
        master_process off;
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log warn;
        events { worker_connections 1024; }
        http {
          access_log off;
          client_body_temp_path %1$s/body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
          upstream parley {
            hash $http_parley_session consistent;
        %2$s
            keepalive 32;
          }
          server {
            listen 127.0.0.1:%3$d;
            location / {
              proxy_pass http://parley;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
              proxy_next_upstream error timeout;
              proxy_connect_timeout 2s;
              client_max_body_size 8m;
            }
          }
        }
        """.formatted(dir, servers, port);
    Path conf = dir.resolve("nginx.conf");
    Files.writeString(conf, config, StandardCharsets.UTF_8);
    Path pid = dir.resolve("nginx.pid");
    try (WatchService watch = FileSystems.getDefault().newWatchService()) {
      dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      Process process = new ProcessBuilder(BINARY.toString(), "-p", dir.toString(), "-c", conf.toString(),
          "-e", dir.resolve("error.log").toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
      // nginx writes its pid file once its listening sockets are open.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.exists(pid)) {
        if (!process.isAlive()) {
          throw new IOException("nginx exited: " + Files.readString(dir.resolve("nginx.out")));
        }
        WatchKey key = watch.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (key == null) {
          process.destroyForcibly();
          throw new IOException("nginx did not start within 30 s");
        }
        key.pollEvents();
        key.reset();
      }
      return new Nginx(process, port, dir);
    }
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** nginx's error log: which upstreams it found down, for a failing test's message. */
  String errorLog() {
    try {
      return Files.readString(dir.resolve("error.log"));
    } catch (IOException e) {
      return "(no error log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
