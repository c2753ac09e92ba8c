package dev.baton.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The secret-leak scan fails a class that logs a secret, and only then. */
class SecretLeakScannerTest {

  private static final Logger LOG = LoggerFactory.getLogger(SecretLeakScannerTest.class);

  @Test
  void aClassThatLogsASecretFailsAfterItsTestsWithoutShowingTheValue() {
    var results = runClass(LeakingClass.class);
    results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    // The leak is this test's doing: the scan of this class itself must not count it.
    SecretLeakScanner.forget(LeakingClass.secret);
    Event classFailed = results.containerEvents().failed().stream().findFirst().orElseThrow();
    assertThat(classFailed.getTestDescriptor().getDisplayName()).contains("LeakingClass");
    Throwable failure = classFailed.getPayload(org.junit.platform.engine.TestExecutionResult.class)
        .orElseThrow().getThrowable().orElseThrow();
    assertThat(failure).isInstanceOf(AssertionError.class)
        .hasMessageContaining("token leak-canary-webhook-url in the test JVM's log")
        .hasMessageNotContaining(LeakingClass.secret);
  }

  @Test
  void aClassThatLogsNoSecretPasses() {
    runClass(QuietClass.class).containerEvents().assertStatistics(s -> s.failed(0));
  }

  @Test
  void aBase64CopyCountsAndShortValuesAreNotSearched() {
    String secret = "correct-horse-battery";
    String b64 = java.util.Base64.getEncoder().encodeToString(secret.getBytes());
    assertThat(SecretLeakScanner.leaks(Map.of("Secret db key password", secret, "Secret db key "
        + "username", "shop"), Map.of("an Event", "data: " + b64 + " app shop")))
        .containsExactly("Secret db key password in an Event");
  }

  private static org.junit.platform.testkit.engine.EngineExecutionResults runClass(Class<?> c) {
    return EngineTestKit.engine("junit-jupiter")
        .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
        .selectors(selectClass(c)).execute();
  }

  /** Run only through the test kit (Surefire skips nested classes). */
  static class LeakingClass {
    static String secret;

    @Test
    void logsTheWebhookUrl() {
      secret = SecretLeakScanner.token("webhook-url");
      LOG.info("calling {}", secret);
    }
  }

  /** Run only through the test kit. */
  static class QuietClass {
    @Test
    void logsNothingSecret() {
      SecretLeakScanner.token("unused");
      LOG.info("nothing to see");
    }
  }
}
