package dev.baton.testcluster;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test class whose operator log or Events reveal a secret: after the class, every line
 * logged in the test JVM while it ran (Baton's in-process operator, JOSDK, the client), the logs
 * of operator processes it started ({@code target/operator-logs}) and every Event of its
 * namespace are searched for the values of the namespace's Secrets and of the tokens made with
 * {@link #token}, as they are and base64-encoded. Registered for every test class through
 * JUnit's extension auto-detection ({@code junit-platform.properties}), so no test opts in.
 *
 * <p>A value shorter than {@value #MIN_LENGTH} characters (a user name such as {@code shop}) is
 * not searched: it would match ordinary words; give test Secrets long, distinctive values.
 * What is searched is what was logged at the levels configured; a leak at a disabled DEBUG
 * level is not seen. The failure names the Secret, key and place, never the value.
 */
public final class SecretLeakScanner implements BeforeAllCallback, AfterAllCallback {

  static final int MIN_LENGTH = 8;
  private static final Set<String> TOKENS = ConcurrentHashMap.newKeySet();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<String> SYSTEM_SECRET_TYPES =
      Set.of("kubernetes.io/service-account-token", "helm.sh/release.v1");
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(SecretLeakScanner.class);

  /** A random value for a test Secret, searched for in every class' logs and Events. */
  public static String token(String what) {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    String token = "leak-canary-" + what + "-" + HexFormat.of().formatHex(bytes);
    TOKENS.add(token);
    return token;
  }

  /** Stops searching for a token (for a test that leaks one on purpose). */
  static void forget(String token) {
    TOKENS.remove(token);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(STORE).put(LogCapture.class, LogCapture.attach());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    LogCapture capture = context.getStore(STORE).remove(LogCapture.class, LogCapture.class);
    if (capture == null) {
      return;
    }
    capture.close();
    Map<String, String> secrets = new LinkedHashMap<>();
    TOKENS.forEach(t -> secrets.put("token " + t.substring(0, t.lastIndexOf('-')), t));
    Map<String, String> places = new LinkedHashMap<>();
    places.put("the test JVM's log", String.join("\n", capture.lines()));
    operatorLogsSince(capture.startedMillis())
        .forEach((file, text) -> places.put("operator log " + file, text));
    TestCluster cluster = clusterOrNull(context);
    if (cluster != null) {
      for (Secret s : cluster.client().secrets().inNamespace(cluster.namespace()).list()
          .getItems()) {
        if (!SYSTEM_SECRET_TYPES.contains(s.getType()) && s.getData() != null) {
          s.getData().forEach((key, b64) -> secrets.put("Secret " + s.getMetadata().getName()
              + " key " + key, new String(Base64.getDecoder().decode(b64),
                  StandardCharsets.UTF_8)));
        }
      }
      places.put("the Events of namespace " + cluster.namespace(), new KubernetesSerialization().asYaml(
          cluster.client().v1().events().inNamespace(cluster.namespace()).list().getItems()));
    }
    List<String> leaks = leaks(secrets, places);
    if (!leaks.isEmpty()) {
      throw new AssertionError("secret values leaked (values not shown):\n  "
          + String.join("\n  ", leaks));
    }
  }

  /** Each place that shows one of the secrets, raw or base64, as "secret in place". */
  static List<String> leaks(Map<String, String> secrets, Map<String, String> places) {
    List<String> found = new ArrayList<>();
    secrets.forEach((name, value) -> {
      String trimmed = value.trim();
      if (trimmed.length() < MIN_LENGTH) {
        return;
      }
      String b64 = Base64.getEncoder().encodeToString(trimmed.getBytes(StandardCharsets.UTF_8));
      places.forEach((place, text) -> {
        if (text.contains(trimmed) || text.contains(b64)) {
          found.add(name + " in " + place);
        }
      });
    });
    return found;
  }

  private static TestCluster clusterOrNull(ExtensionContext context) {
    try {
      return TestClusterExtension.clusterOf(context);
    } catch (IllegalStateException notAnIntegrationTest) {
      return null;
    }
  }

  private static Map<String, String> operatorLogsSince(long millis) {
    Path dir = Path.of("target", "operator-logs");
    Map<String, String> logs = new LinkedHashMap<>();
    if (!Files.isDirectory(dir)) {
      return logs;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        if (Files.getLastModifiedTime(f).toMillis() >= millis) {
          logs.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.ISO_8859_1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return logs;
  }

  /** Every event logged through Logback while a class runs, formatted with its stack trace. */
  static final class LogCapture extends AppenderBase<ILoggingEvent> {
    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final long startedMillis = System.currentTimeMillis();

    static LogCapture attach() {
      LogCapture capture = new LogCapture();
      LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
      capture.setContext(logback);
      capture.setName("secret-leak-scan");
      capture.start();
      logback.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(capture);
      return capture;
    }

    @Override
    protected void append(ILoggingEvent event) {
      String line = event.getLoggerName() + " " + event.getFormattedMessage();
      if (event.getThrowableProxy() != null) {
        line += "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
      }
      lines.add(line);
    }

    List<String> lines() {
      return List.copyOf(lines);
    }

    long startedMillis() {
      return startedMillis;
    }

    void close() {
      ((LoggerContext) getContext()).getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this);
      stop();
    }
  }
}
