package dev.baton.analysis;

import dev.baton.analysis.provider.job.JobMeasurements;
import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.AnalysisSpec;
import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.BuiltInCheck;
import dev.baton.api.v1alpha1.CanaryStep;
import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.api.v1alpha1.TrafficStep;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks of an app's analyses that its CRD schema cannot make: every template exists, every
 * argument has a value of its type, every {@code {{...}}} is known, every CEL condition compiles,
 * step and promotion analyses end by themselves. A problem becomes the InvalidSpec condition,
 * naming the field, before any pod moves; the serving version is left alone.
 */
public final class AnalysisValidator {

  /** One place where an analysis runs, and its field path. */
  public record Place(String field, String step, AnalysisSpec analysis, boolean background) {}

  private AnalysisValidator() {}

  /** Why the app's analyses cannot run, or empty when they can (or it has none). */
  public static Optional<String> problem(String app, String namespace, BatonAppSpec spec,
      TemplateLookup templates) {
    List<AnalysisMetric> own = spec.analysisMetrics == null ? List.of() : spec.analysisMetrics;
    Set<String> names = new HashSet<>();
    for (int i = 0; i < own.size(); i++) {
      AnalysisMetric m = own.get(i);
      String field = "spec.analysisMetrics[" + i + "]";
      if (!names.add(m.name)) {
        return Optional.of(field + ": metric name '" + m.name + "' is used twice");
      }
      try {
        // Placeholders are checked with the places' args; here only that it compiles alone.
        withoutPlaceholders(m);
      } catch (InvalidAnalysisException e) {
        return Optional.of(field + " (" + m.name + "): " + e.getMessage());
      }
    }
    AnalysisVariables variables = AnalysisVariables.placeholders(app, namespace);
    IngressSpec.Provider provider = spec.ingress == null || spec.ingress.provider == null
        ? IngressSpec.Provider.none : spec.ingress.provider;
    Optional<BuiltInCheck.Proxy> proxy = BuiltInProxy.of(provider);
    for (Place place : places(spec)) {
      try {
        List<ResolvedMetric> metrics =
            AnalysisResolver.resolve(place.analysis(), own, templates, variables);
        for (ResolvedMetric m : metrics) {
          if (proxy.isEmpty() && BuiltInProxy.unset(m.spec())) {
            return Optional.of(place.field() + ": metric '" + m.name() + "' is a built-in check "
                + "without builtIn.proxy, and spec.ingress.provider " + provider + " has no "
                + "built-in check: set builtIn.proxy (traefik or nginx) or write a query");
          }
          Optional<String> job = jobProblem(m);
          if (job.isPresent()) {
            return Optional.of(place.field() + ": metric '" + m.name() + "': " + job.get());
          }
        }
        if (!place.background()) {
          for (ResolvedMetric m : metrics) {
            if (!m.limits().bounded()) {
              return Optional.of(place.field() + ": metric '" + m.name() + "' has "
                  + "intervalSeconds and no count, so it never ends; this analysis must end "
                  + "for the rollout to go on: give it a count");
            }
          }
        }
      } catch (InvalidAnalysisException e) {
        return Optional.of(place.field() + ": " + e.getMessage());
      }
    }
    int steps = spec.strategy != null && spec.strategy.canary != null
        && spec.strategy.canary.steps != null ? spec.strategy.canary.steps.size() : 0;
    if (steps > 0 && spec.strategy.canary.analysis != null
        && spec.strategy.canary.analysis.startingStep != null
        && spec.strategy.canary.analysis.startingStep >= steps) {
      return Optional.of("spec.strategy.canary.analysis.startingStep: there are only " + steps
          + " steps (numbered from 0)");
    }
    return Optional.empty();
  }

  /** Every place of the spec where an analysis runs, in order. */
  public static List<Place> places(BatonAppSpec spec) {
    List<Place> out = new ArrayList<>();
    if (spec.strategy == null) {
      return out;
    }
    if (spec.strategy.canary != null) {
      List<CanaryStep> steps = spec.strategy.canary.steps == null ? List.of()
          : spec.strategy.canary.steps;
      for (int i = 0; i < steps.size(); i++) {
        if (steps.get(i).analysis != null) {
          out.add(new Place("spec.strategy.canary.steps[" + i + "].analysis", "step-" + i,
              steps.get(i).analysis, false));
        }
      }
      if (spec.strategy.canary.analysis != null) {
        out.add(new Place("spec.strategy.canary.analysis", RunKey.BACKGROUND,
            spec.strategy.canary.analysis, true));
      }
    }
    if (spec.strategy.rolling != null && spec.strategy.rolling.analysis != null) {
      // Not background: the revision becomes stable only on its verdict, so no endless metric.
      out.add(new Place("spec.strategy.rolling.analysis", RunKey.BACKGROUND,
          spec.strategy.rolling.analysis, false));
    }
    if (spec.strategy.blueGreen != null) {
      List<TrafficStep> steps = spec.strategy.blueGreen.trafficSteps == null ? List.of()
          : spec.strategy.blueGreen.trafficSteps;
      for (int i = 0; i < steps.size(); i++) {
        if (steps.get(i).analysis != null) {
          out.add(new Place("spec.strategy.blueGreen.trafficSteps[" + i + "].analysis",
              "step-" + i, steps.get(i).analysis, false));
        }
      }
      if (spec.strategy.blueGreen.analysis != null) {
        out.add(new Place("spec.strategy.blueGreen.analysis", RunKey.BACKGROUND,
            spec.strategy.blueGreen.analysis, true));
      }
      if (spec.strategy.blueGreen.prePromotionAnalysis != null) {
        out.add(new Place("spec.strategy.blueGreen.prePromotionAnalysis", RunKey.PRE_PROMOTION,
            spec.strategy.blueGreen.prePromotionAnalysis, false));
      }
      if (spec.strategy.blueGreen.postPromotionAnalysis != null) {
        out.add(new Place("spec.strategy.blueGreen.postPromotionAnalysis",
            RunKey.POST_PROMOTION, spec.strategy.blueGreen.postPromotionAnalysis, false));
      }
    }
    return out;
  }

  /** Why a job metric's Job could not be made, if it could not. */
  private static Optional<String> jobProblem(ResolvedMetric m) {
    if (m.spec().provider == null || m.spec().provider.job == null) {
      return Optional.empty();
    }
    try {
      var spec = JobMeasurements.toJobSpec(m.spec().provider.job.spec);
      if (spec == null || spec.getTemplate() == null || spec.getTemplate().getSpec() == null
          || spec.getTemplate().getSpec().getContainers() == null
          || spec.getTemplate().getSpec().getContainers().isEmpty()) {
        return Optional.of("job.spec needs template.spec.containers");
      }
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** The metric with each {@code {{...}}} replaced by a neutral stand-in, compiled. */
  private static ResolvedMetric withoutPlaceholders(AnalysisMetric m) {
    return AnalysisResolver.resolveMetric("spec.analysisMetrics", m, new StandIns());
  }

  /** Answers every placeholder with "1", a value that fits a number or a string. */
  private static final class StandIns extends java.util.AbstractMap<String, String> {
    @Override
    public String get(Object key) {
      return "1";
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
      return Set.of();
    }
  }
}
