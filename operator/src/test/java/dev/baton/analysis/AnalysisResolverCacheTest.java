package dev.baton.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.AnalysisSpec;
import dev.baton.api.v1alpha1.AnalysisTemplateSpec;
import dev.baton.api.v1alpha1.ArgValue;
import dev.baton.api.v1alpha1.TemplateRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A reconcile at scale resolves the same analyses over and over: the same specs give the very
 * same resolved metrics (nothing recompiled), and any change to what they are a function of (a
 * template, the app's own metrics, the place, a variable) gives a fresh resolution.
 */
class AnalysisResolverCacheTest {

  static final AnalysisVariables VARS = AnalysisVariables.placeholders("shop", "shop");

  static AnalysisSpec place() {
    AnalysisSpec a = new AnalysisSpec();
    a.templates = List.of(TemplateRef.namespaced("success-rate"));
    a.args = List.of(ArgValue.of("maxErrorRatio", "0.05"));
    a.metrics = List.of("own");
    return a;
  }

  static List<AnalysisMetric> own(String condition) {
    AnalysisMetric m = Metrics.prometheus("own", "http://prometheus:9090", "vector(1)");
    m.successCondition = condition;
    return List.of(m);
  }

  static TemplateLookup templates(AnalysisTemplateSpec t) {
    return TemplateLookup.of(Map.of("success-rate", t), Map.of());
  }

  @Test
  void theSameSpecsGiveTheSameResolutionWithoutRecompiling() {
    AnalysisTemplateSpec t = AnalysisValidatorTest.successRate();
    List<ResolvedMetric> first = AnalysisResolver.resolve(place(), own("result >= 1.0"),
        templates(t), VARS);
    // Equal specs read afresh (a status write replaces the cached objects): still a hit.
    List<ResolvedMetric> again = AnalysisResolver.resolve(place(), own("result >= 1.0"),
        templates(AnalysisValidatorTest.successRate()), VARS);

    assertThat(again).isSameAs(first);
    assertThat(first).extracting(ResolvedMetric::name).containsExactly("error-ratio", "own");
  }

  @Test
  void aChangedTemplateIsResolvedAgain() {
    AnalysisTemplateSpec t = AnalysisValidatorTest.successRate();
    List<ResolvedMetric> before = AnalysisResolver.resolve(place(), own("result >= 1.0"),
        templates(t), VARS);
    AnalysisTemplateSpec changed = AnalysisValidatorTest.successRate();
    changed.metrics.get(0).failureCondition = "result > {{args.maxErrorRatio}} * 2.0";
    List<ResolvedMetric> after = AnalysisResolver.resolve(place(), own("result >= 1.0"),
        templates(changed), VARS);

    assertThat(after).isNotSameAs(before);
    assertThat(after.get(0).spec().failureCondition).isEqualTo("result > 0.05 * 2.0");
    assertThat(before.get(0).spec().failureCondition).isEqualTo("result > 0.05");
  }

  @Test
  void aChangedInlineMetricPlaceOrVariableIsResolvedAgain() {
    TemplateLookup t = templates(AnalysisValidatorTest.successRate());
    List<ResolvedMetric> base = AnalysisResolver.resolve(place(), own("result >= 1.0"), t, VARS);

    assertThat(AnalysisResolver.resolve(place(), own("result >= 2.0"), t, VARS))
        .isNotSameAs(base).last().satisfies(m ->
            assertThat(m.spec().successCondition).isEqualTo("result >= 2.0"));
    AnalysisSpec otherArgs = place();
    otherArgs.args = List.of(ArgValue.of("maxErrorRatio", "0.01"));
    assertThat(AnalysisResolver.resolve(otherArgs, own("result >= 1.0"), t, VARS).get(0).spec()
        .failureCondition).isEqualTo("result > 0.01");
    AnalysisVariables otherApp = AnalysisVariables.placeholders("cart", "shop");
    assertThat(AnalysisResolver.resolve(place(), own("result >= 1.0"), t, otherApp).get(0)
        .spec().provider.prometheus.query).contains("app=\"cart\"");
  }

  @Test
  void aFailureIsNotKept() {
    AnalysisSpec unknown = place();
    unknown.templates = List.of(TemplateRef.namespaced("missing"));
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> AnalysisResolver.resolve(unknown, own("result >= 1.0"),
          templates(AnalysisValidatorTest.successRate()), VARS))
          .isInstanceOf(InvalidAnalysisException.class).hasMessageContaining("'missing'");
    }
    // A condition that does not compile fails each time, with its field named.
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> CelCondition.compile("successCondition", "result >"))
          .isInstanceOf(InvalidAnalysisException.class)
          .hasMessageStartingWith("successCondition 'result >' does not compile");
    }
  }

  @Test
  void aConditionIsCompiledOncePerExpression() {
    CelCondition a = CelCondition.compile("successCondition", "result < 0.125");
    CelCondition b = CelCondition.compile("failureCondition", "result < 0.125");

    assertThat(a.sharesProgramWith(b)).isTrue();
    assertThat(a.sharesProgramWith(CelCondition.compile("successCondition", "result < 0.5")))
        .isFalse();
    assertThat(b.holds(0.1)).isTrue();
  }

  @Test
  void theCacheKeepsAtMostItsCapacityAndTheRecentlyUsed() {
    BoundedCache<Integer, String> cache = new BoundedCache<>(2);
    List<Integer> computed = new ArrayList<>();
    java.util.function.Function<Integer, String> load = k -> {
      computed.add(k);
      return "v" + k;
    };
    cache.get(1, load);
    cache.get(2, load);
    cache.get(1, load); // 1 is now the most recent
    cache.get(3, load); // evicts 2
    cache.get(1, load);
    cache.get(2, load);

    assertThat(computed).containsExactly(1, 2, 3, 2);
    assertThat(cache.size()).isEqualTo(2);
  }
}
