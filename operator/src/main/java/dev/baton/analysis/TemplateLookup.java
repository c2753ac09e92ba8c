package dev.baton.analysis;

import dev.baton.api.v1alpha1.AnalysisTemplateSpec;
import java.util.Map;
import java.util.Optional;

/**
 * The analysis templates an app can name, as read from the informer caches: BatonAnalysisTemplates
 * of the app's namespace and ClusterBatonAnalysisTemplates.
 */
public interface TemplateLookup {

  /** The BatonAnalysisTemplate {@code name} in the app's namespace. */
  Optional<AnalysisTemplateSpec> namespaced(String name);

  /** The ClusterBatonAnalysisTemplate {@code name}. */
  Optional<AnalysisTemplateSpec> cluster(String name);

  /** A lookup over fixed maps (tests, or a snapshot taken from the caches). */
  static TemplateLookup of(Map<String, AnalysisTemplateSpec> namespaced,
      Map<String, AnalysisTemplateSpec> cluster) {
    return new TemplateLookup() {
      @Override
      public Optional<AnalysisTemplateSpec> namespaced(String name) {
        return Optional.ofNullable(namespaced.get(name));
      }

      @Override
      public Optional<AnalysisTemplateSpec> cluster(String name) {
        return Optional.ofNullable(cluster.get(name));
      }
    };
  }
}
