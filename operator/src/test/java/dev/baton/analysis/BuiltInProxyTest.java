package dev.baton.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.AnalysisTemplateSpec;
import dev.baton.api.v1alpha1.BuiltInCheck.Proxy;
import dev.baton.api.v1alpha1.IngressSpec.Provider;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A built-in check without a proxy reads the metrics of the app's provider. */
class BuiltInProxyTest {

  @Test
  void theProvidersWithABuiltInCheckAreTraefikAndNginx() {
    assertThat(BuiltInProxy.of(Provider.traefik)).contains(Proxy.traefik);
    assertThat(BuiltInProxy.of(Provider.nginx)).contains(Proxy.nginx);
    assertThat(BuiltInProxy.of(Provider.gatewayAPI)).isEmpty();
    assertThat(BuiltInProxy.of(Provider.none)).isEmpty();
  }

  @Test
  void anUnsetProxyIsFilledOnACopyAndASetOneIsKept() {
    AnalysisMetric unset = Metrics.successRate("a", "http://p:9090", null);
    AnalysisMetric traefik = Metrics.successRate("b", "http://p:9090", Proxy.traefik);
    List<AnalysisMetric> filled = BuiltInProxy.fill(List.of(unset, traefik),
        Optional.of(Proxy.nginx));

    assertThat(filled).extracting(m -> m.provider.prometheus.builtIn.proxy)
        .containsExactly(Proxy.nginx, Proxy.traefik);
    assertThat(filled.get(1)).isSameAs(traefik);
    assertThat(unset.provider.prometheus.builtIn.proxy).as("the informer's object").isNull();
    List<AnalysisMetric> nothingToDo = List.of(traefik);
    assertThat(BuiltInProxy.fill(nothingToDo, Optional.of(Proxy.nginx))).isSameAs(nothingToDo);
  }

  @Test
  void templatesReadThroughTheLookupAreFilledToo() {
    AnalysisTemplateSpec t = new AnalysisTemplateSpec();
    t.metrics = List.of(Metrics.successRate("a", "http://p:9090", null));
    TemplateLookup lookup = BuiltInProxy.fill(TemplateLookup.of(Map.of("rate", t),
        Map.of("rate", t)), Optional.of(Proxy.traefik));

    assertThat(lookup.namespaced("rate").orElseThrow().metrics.get(0).provider.prometheus.builtIn
        .proxy).isEqualTo(Proxy.traefik);
    assertThat(lookup.cluster("rate").orElseThrow().metrics.get(0).provider.prometheus.builtIn
        .proxy).isEqualTo(Proxy.traefik);
    assertThat(t.metrics.get(0).provider.prometheus.builtIn.proxy).isNull();
    assertThat(lookup.namespaced("missing")).isEmpty();
  }
}
