package dev.baton.planning;

import dev.baton.analysis.AnalysisVariables;
import dev.baton.analysis.ResolvedMetric;
import dev.baton.analysis.RunKey;
import dev.baton.api.v1alpha1.AnalysisRunStatus;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a plan decides about analysis: the runs to record in status.analysis (empty: leave it as
 * it is), the measurements now due (the reconciler hands them to the measurement pool, which
 * never runs on a reconcile thread), and the runs whose landed measurements are now accounted
 * for in status (or no longer wanted), so the reconciler can forget them.
 *
 * @param status status.analysis to write, when the plan changes it
 * @param measure measurements due now
 * @param drain runs whose landed measurements the reconciler may drop once status is written
 */
public record AnalysisPlan(Optional<List<AnalysisRunStatus>> status, List<Measurement> measure,
    Set<RunKey> drain) {

  /** Nothing about analysis: status.analysis stays, nothing is measured. */
  public static final AnalysisPlan NONE = new AnalysisPlan(Optional.empty(), List.of(), Set.of());

  public AnalysisPlan {
    measure = List.copyOf(measure);
    drain = Set.copyOf(drain);
  }

  /**
   * One measurement to take.
   *
   * @param run the run it counts in
   * @param metric the metric, its placeholders resolved
   * @param variables Baton's variables at this moment (the built-in checks use them)
   */
  public record Measurement(RunKey run, ResolvedMetric metric, AnalysisVariables variables) {}
}
