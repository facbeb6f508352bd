package dev.parley.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves the console page ({@link RpcServer.Builder#console(String)}, docs/SERVER.md "The console
 * page") at one path: the page, its script and style sheet (static assets of this jar, built from
 * {@code clients/js/console}), and {@code modules.json}, the list of the server's module paths and
 * whether each encrypts. The page calls the modules itself, from the browser; this handler never
 * sees a SecureKey.
 */
final class ConsoleHandler extends Handler.Abstract.NonBlocking {
  static final String RESOURCES = "/dev/parley/server/console/";
  /** The page may load only its own script and style and talk only to its own origin. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
      + " connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private record Asset(byte[] bytes, String type) {}

  private final String path;
  private final Map<String, Asset> assets;

  ConsoleHandler(String path, List<ServerModule> modules) {
    this.path = path;
    this.assets = Map.of(
        "/", load("index.html", "text/html;charset=utf-8"),
        "/console.js", load("console.js", "text/javascript;charset=utf-8"),
        "/console.css", load("console.css", "text/css;charset=utf-8"),
        "/modules.json", new Asset(modulesJson(modules), "application/json"));
  }

  private static Asset load(String name, String type) {
    try (InputStream in = ConsoleHandler.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("the console page's " + name + " is missing from rpc-server's jar ("
            + RESOURCES + name + "); rebuild rpc-server");
      }
      return new Asset(in.readAllBytes(), type);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the console page's " + name + " failed", e);
    }
  }

  /** {@code {"modules":[{"path":"/calc","encrypts":true,"forcesEncryption":true}, …]}}: paths are not secret. */
  private static byte[] modulesJson(List<ServerModule> modules) {
    StringBuilder json = new StringBuilder("{\"modules\":[");
    for (int i = 0; i < modules.size(); i++) {
      ServerModule m = modules.get(i);
      json.append(i == 0 ? "" : ",").append("{\"path\":").append(ServerCall.jsonString(m.path()))
          .append(",\"encrypts\":").append(m.encryptionKey() > 0).append(",\"forcesEncryption\":").append(m.forcesEncryption()).append('}');
    }
    return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String target = Request.getPathInContext(request);
    if (!target.equals(path) && !target.startsWith(path + "/")) {
      return false;
    }
    if (target.equals(path)) {
      // The page's assets are relative to it: /console → /console/
      response.setStatus(HttpStatus.FOUND_302);
      response.getHeaders().put(HttpHeader.LOCATION, path + "/");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
      callback.succeeded();
      return true;
    }
    Asset asset = assets.get(target.substring(path.length()));
    if (asset == null) {
      Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
      return true;
    }
    boolean head = HttpMethod.HEAD.is(request.getMethod());
    if (!head && !HttpMethod.GET.is(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
      return true;
    }
    var headers = response.getHeaders();
    headers.put(HttpHeader.CONTENT_TYPE, asset.type());
    headers.put(HttpHeader.CONTENT_LENGTH, asset.bytes().length);
    headers.put(HttpHeader.CACHE_CONTROL, "no-store");
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Referrer-Policy", "no-referrer");
    headers.put("X-Frame-Options", "DENY");
    headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    response.setStatus(HttpStatus.OK_200);
    if (head) {
      callback.succeeded();
    } else {
      response.write(true, ByteBuffer.wrap(asset.bytes()), callback);
    }
    return true;
  }
}
