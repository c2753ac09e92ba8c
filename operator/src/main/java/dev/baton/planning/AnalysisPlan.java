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
 * @param startJobs job measurements due: the reconciler creates their Jobs (once: by name)
 * @param deleteJobs names of Jobs of runs status no longer keeps
 */
public record AnalysisPlan(Optional<List<AnalysisRunStatus>> status, List<Measurement> measure,
    Set<RunKey> drain, List<JobMeasurement> startJobs, List<String> deleteJobs) {

  /** Nothing about analysis: status.analysis stays, nothing is measured. */
  public static final AnalysisPlan NONE = new AnalysisPlan(Optional.empty(), List.of(), Set.of(),
      List.of(), List.of());

  public AnalysisPlan {
    measure = List.copyOf(measure);
    drain = Set.copyOf(drain);
    startJobs = List.copyOf(startJobs);
    deleteJobs = List.copyOf(deleteJobs);
  }

  /**
   * A job measurement to start: measurement {@code n} of {@code metric} in {@code run}.
   *
   * @param metric the metric, its placeholders resolved (its Job template among them)
   */
  public record JobMeasurement(RunKey run, ResolvedMetric metric, int n) {}

  /**
   * One measurement to take.
   *
   * @param run the run it counts in
   * @param metric the metric, its placeholders resolved
   * @param variables Baton's variables at this moment (the built-in checks use them)
   */
  public record Measurement(RunKey run, ResolvedMetric metric, AnalysisVariables variables) {}
}
