package dev.baton.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an Argo CD health script under Debian's {@code lua5.1}, the way Argo CD runs it: with the
 * object in the global {@code obj} and without the {@code string} library.
 */
public final class ArgoCdHealth {

  /** What the script returned: {@code hs.status} and {@code hs.message}. */
  public record Result(String status, String message) {}

  /** The chart's health script, relative to the repository's top directory. */
  static final String SCRIPT = "helm/baton/argocd/health.lua";

  /**
   * Evaluates the chart's health script for a live BatonApp (JSON), as the integration tests do
   * with every status they wait for.
   */
  public static Result ofLiveObject(String batonAppJson) {
    try {
      Path root = Path.of(System.getProperty("baton.repoRoot", ".."));
      return evaluate(root.resolve(SCRIPT), batonAppJson);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static final String LUA = "lua5.1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ArgoCdHealth() {}

  /** Evaluates {@code script} for the object in {@code json}; fails if the script errors. */
  static Result evaluate(Path script, String json) throws IOException, InterruptedException {
    String driver = ""
        // Argo CD does not open the string library; neither do we, nor string methods.
        + "string = nil\n"
        + "package.loaded.string = nil\n"
        + "getmetatable('').__index = nil\n"
        + "io = nil\n"
        + "debug = nil\n"
        + "obj = " + toLua(JSON.readTree(json)) + "\n"
        + "local chunk, err = loadfile(" + luaString(script.toAbsolutePath().toString()) + ")\n"
        + "if chunk == nil then error(err) end\n"
        + "local hs = chunk()\n"
        + "if type(hs) ~= 'table' then error('the script returned no table') end\n"
        + "print(tostring(hs.status))\n"
        + "print(tostring(hs.message))\n";
    Path file = Files.createTempFile("argocd-health-", ".lua");
    Path out = Files.createTempFile("argocd-health-", ".out");
    Path err = Files.createTempFile("argocd-health-", ".err");
    try {
      Files.writeString(file, driver, StandardCharsets.UTF_8);
      Process p;
      try {
        p = new ProcessBuilder(LUA, file.toString())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
      } catch (IOException e) {
        throw new IllegalStateException(LUA + " is not on the PATH: install Debian's lua5.1 "
            + "(apt-get install lua5.1) to test the Argo CD health check", e);
      }
      p.getOutputStream().close();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(LUA + " did not finish within 30s");
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(LUA + " failed (exit " + p.exitValue() + "): " + stderr);
      }
      int nl = stdout.indexOf('\n');
      if (nl < 0) {
        throw new IllegalStateException("unexpected output of " + LUA + ": " + stdout + stderr);
      }
      String message = stdout.substring(nl + 1);
      if (message.endsWith("\n")) {
        message = message.substring(0, message.length() - 1);
      }
      return new Result(stdout.substring(0, nl), message);
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** A Lua expression for a JSON value; null members are left out, as Argo CD does. */
  static String toLua(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "nil";
    }
    if (node.isObject()) {
      StringBuilder b = new StringBuilder("{");
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isNull()) {
          b.append('[').append(luaString(e.getKey())).append("] = ")
              .append(toLua(e.getValue())).append(", ");
        }
      }
      return b.append('}').toString();
    }
    if (node.isArray()) {
      StringBuilder b = new StringBuilder("{");
      for (JsonNode e : node) {
        b.append(toLua(e)).append(", ");
      }
      return b.append('}').toString();
    }
    if (node.isNumber()) {
      return node.isIntegralNumber() ? node.bigIntegerValue().toString()
          : Double.toString(node.doubleValue());
    }
    if (node.isBoolean()) {
      return Boolean.toString(node.booleanValue());
    }
    return luaString(node.asText());
  }

  /** A double-quoted Lua string literal; control characters as decimal escapes. */
  static String luaString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            // Three digits, so that a following digit is not taken into the escape.
            b.append(String.format("\\%03d", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
