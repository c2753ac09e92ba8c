package dev.baton.operator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test-only points where the operator can be made to die as if killed (no shutdown hooks, no
 * further write), so that tests can prove that a crash between two writes is recovered. Armed by
 * the environment variable {@code BATON_TEST_HALT_AT=<point>}; never set in production.
 */
public enum FaultPoint {

  /** Right after the active Service was moved to another version, before anything else. */
  AFTER_SWITCH;

  private static final Logger LOG = LoggerFactory.getLogger(FaultPoint.class);
  private static final String ARMED = System.getenv("BATON_TEST_HALT_AT");

  /** Halts the JVM at once when this point is armed. */
  public void reached() {
    if (name().equals(ARMED)) {
      LOG.warn("Fault point {} reached: halting (BATON_TEST_HALT_AT)", name());
      Runtime.getRuntime().halt(137);
    }
  }
}
