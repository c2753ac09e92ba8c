package dev.baton.analysis.provider;

import dev.baton.analysis.AnalysisVariables;
import dev.baton.analysis.Observation;
import dev.baton.analysis.ResolvedMetric;

/**
 * Takes one measurement of a metric. Blocking (it runs on the measurement pool, never on a
 * reconcile thread); it never throws: whatever goes wrong is an {@link Observation.Error}. It
 * gets the credentials already read from their Secrets and never logs them.
 */
public interface MetricProvider {

  /** Measures {@code metric} now. */
  Observation measure(ResolvedMetric metric, ProviderCredentials credentials,
      AnalysisVariables variables);
}
