package dev.baton.analysis;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.AnalysisTemplateSpec;
import dev.baton.api.v1alpha1.BuiltInCheck;
import dev.baton.api.v1alpha1.IngressSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whose metrics a built-in check reads when it names no {@code proxy}: the app's ingress
 * provider's, so a platform team's template serves apps behind Traefik and behind ingress-nginx
 * alike. The API server cannot default it (it does not know the app), so Baton fills it in when
 * it reads an app's analyses, on copies: the informers' objects are never changed.
 */
public final class BuiltInProxy {

  private static final ObjectMapper JSON = new ObjectMapper();

  private BuiltInProxy() {}

  /** The proxy of an app's ingress provider, when Baton has a built-in check for it. */
  public static Optional<BuiltInCheck.Proxy> of(IngressSpec.Provider provider) {
    if (provider == IngressSpec.Provider.traefik) {
      return Optional.of(BuiltInCheck.Proxy.traefik);
    }
    if (provider == IngressSpec.Provider.nginx) {
      return Optional.of(BuiltInCheck.Proxy.nginx);
    }
    return Optional.empty();
  }

  /** Whether {@code m} is a built-in check that names no proxy. */
  public static boolean unset(AnalysisMetric m) {
    return m.provider != null && m.provider.prometheus != null
        && m.provider.prometheus.builtIn != null && m.provider.prometheus.builtIn.proxy == null;
  }

  /** {@code metrics} with each unset proxy set to {@code proxy}; the same list when none is. */
  public static List<AnalysisMetric> fill(List<AnalysisMetric> metrics,
      Optional<BuiltInCheck.Proxy> proxy) {
    if (metrics == null || proxy.isEmpty() || metrics.stream().noneMatch(BuiltInProxy::unset)) {
      return metrics;
    }
    List<AnalysisMetric> out = new ArrayList<>(metrics.size());
    for (AnalysisMetric m : metrics) {
      if (unset(m)) {
        AnalysisMetric copy = JSON.convertValue(m, AnalysisMetric.class);
        copy.provider.prometheus.builtIn.proxy = proxy.get();
        out.add(copy);
      } else {
        out.add(m);
      }
    }
    return out;
  }

  /** {@code templates} whose metrics' unset proxies read as {@code proxy}. */
  public static TemplateLookup fill(TemplateLookup templates,
      Optional<BuiltInCheck.Proxy> proxy) {
    if (proxy.isEmpty()) {
      return templates;
    }
    return new TemplateLookup() {
      @Override
      public Optional<AnalysisTemplateSpec> namespaced(String name) {
        return templates.namespaced(name).map(t -> fill(t, proxy));
      }

      @Override
      public Optional<AnalysisTemplateSpec> cluster(String name) {
        return templates.cluster(name).map(t -> fill(t, proxy));
      }
    };
  }

  private static AnalysisTemplateSpec fill(AnalysisTemplateSpec t,
      Optional<BuiltInCheck.Proxy> proxy) {
    List<AnalysisMetric> filled = fill(t.metrics, proxy);
    if (filled == t.metrics) {
      return t;
    }
    AnalysisTemplateSpec copy = new AnalysisTemplateSpec();
    copy.args = t.args;
    copy.metrics = filled;
    return copy;
  }
}
