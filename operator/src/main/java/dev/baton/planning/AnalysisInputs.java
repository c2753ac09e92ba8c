package dev.baton.planning;

import dev.baton.analysis.Measured;
import dev.baton.analysis.RunKey;
import dev.baton.analysis.TemplateLookup;
import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.AnalysisRunStatus;
import dev.baton.api.v1alpha1.AnalysisSpec;
import dev.baton.api.v1alpha1.BackgroundAnalysis;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a planner needs to gate a rollout on analysis, read at one moment: the app's own metrics,
 * its background analysis, the templates it may name (from the caches), the runs status records,
 * and the measurements the pool has landed since status last recorded them.
 *
 * @param appMetrics spec.analysisMetrics
 * @param background spec.strategy.canary.analysis, if any
 * @param prePromotion spec.strategy.blueGreen.prePromotionAnalysis, if any
 * @param postPromotion spec.strategy.blueGreen.postPromotionAnalysis, if any
 * @param rolling spec.strategy.rolling.analysis, if any
 * @param templates the BatonAnalysisTemplates of the namespace and the cluster's ones
 * @param recorded status.analysis as read
 * @param landed measurements taken and not yet in status, by run and metric, oldest first
 * @param jobs the Jobs of job metrics, the durable record of their measurements
 */
public record AnalysisInputs(List<AnalysisMetric> appMetrics,
    Optional<BackgroundAnalysis> background, Optional<AnalysisSpec> prePromotion,
    Optional<AnalysisSpec> postPromotion, Optional<AnalysisSpec> rolling, TemplateLookup templates,
    List<AnalysisRunStatus> recorded, Map<RunKey, Map<String, List<Measured>>> landed,
    List<AnalysisJob> jobs) {

  /** Inputs without job measurements. */
  public AnalysisInputs(List<AnalysisMetric> appMetrics, Optional<BackgroundAnalysis> background,
      Optional<AnalysisSpec> prePromotion, Optional<AnalysisSpec> postPromotion,
      TemplateLookup templates, List<AnalysisRunStatus> recorded,
      Map<RunKey, Map<String, List<Measured>>> landed) {
    this(appMetrics, background, prePromotion, postPromotion, Optional.empty(), templates,
        recorded, landed, List.of());
  }


  /** No analysis at all. */
  public static final AnalysisInputs NONE = new AnalysisInputs(List.of(), Optional.empty(),
      Optional.empty(), Optional.empty(), TemplateLookup.of(Map.of(), Map.of()), List.of(), Map.of());

  public AnalysisInputs {
    appMetrics = appMetrics == null ? List.of() : List.copyOf(appMetrics);
    recorded = recorded == null ? List.of() : List.copyOf(recorded);
    landed = Map.copyOf(landed);
    jobs = jobs == null ? List.of() : List.copyOf(jobs);
  }
}
