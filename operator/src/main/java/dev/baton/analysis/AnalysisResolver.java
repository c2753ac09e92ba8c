package dev.baton.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.baton.api.v1alpha1.AnalysisArg;
import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.AnalysisSpec;
import dev.baton.api.v1alpha1.AnalysisTemplateSpec;
import dev.baton.api.v1alpha1.ArgValue;
import dev.baton.api.v1alpha1.TemplateRef;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns one place's analysis (a canary step's, the background one, pre- or post-promotion) into
 * the metrics to measure: the named templates' metrics and the app's own, with every argument and
 * variable substituted and every condition compiled. Pure: templates come from a
 * {@link TemplateLookup}. Anything that would leave a metric unable to run is an
 * {@link InvalidAnalysisException} naming it, before any pod moves.
 *
 * <p>Every reconcile validates and resolves the app's analyses again, so the result is kept, for
 * a bounded number of analyses, under a digest of everything it is a function of: the place, the
 * app's own metrics, the named templates' specs (a template changed is a new digest, so a stale
 * result is never used) and the variables. A failure is not kept.
 */
public final class AnalysisResolver {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** About two places per app for a thousand apps, plus their validation. */
  private static final BoundedCache<Key, List<ResolvedMetric>> RESOLVED =
      new BoundedCache<>(4096);

  /** What a resolution is a function of: the digest of the specs, and the variables. */
  private record Key(String specDigest, AnalysisVariables variables) {}

  private AnalysisResolver() {}

  /**
   * The metrics of {@code place}.
   *
   * @param appMetrics the app's spec.analysisMetrics (may be null)
   * @throws InvalidAnalysisException naming the template, metric or argument at fault
   */
  public static List<ResolvedMetric> resolve(AnalysisSpec place, List<AnalysisMetric> appMetrics,
      TemplateLookup templates, AnalysisVariables variables) {
    Optional<String> digest = specDigest(place, appMetrics, templates);
    if (digest.isEmpty()) {
      // A named template is missing (this throws, naming it), or the specs would not serialize.
      return resolveNow(place, appMetrics, templates, variables);
    }
    return RESOLVED.get(new Key(digest.get(), variables),
        k -> resolveNow(place, appMetrics, templates, variables));
  }

  /**
   * A digest of the specs a resolution reads; empty when a named template is missing (that is an
   * error, never kept).
   */
  static Optional<String> specDigest(AnalysisSpec place, List<AnalysisMetric> appMetrics,
      TemplateLookup templates) {
    List<AnalysisTemplateSpec> named = new ArrayList<>();
    for (TemplateRef ref : nullSafe(place.templates)) {
      Optional<AnalysisTemplateSpec> t = ref.isClusterScope() ? templates.cluster(ref.name)
          : templates.namespaced(ref.name);
      if (t.isEmpty()) {
        return Optional.empty();
      }
      named.add(t.get());
    }
    try {
      byte[] json = JSON.writeValueAsBytes(List.of(place, nullSafe(appMetrics), named));
      return Optional.of(HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(json)));
    } catch (java.io.IOException | NoSuchAlgorithmException e) {
      return Optional.empty();
    }
  }

  private static List<ResolvedMetric> resolveNow(AnalysisSpec place,
      List<AnalysisMetric> appMetrics, TemplateLookup templates, AnalysisVariables variables) {
    Map<String, String> given = new HashMap<>();
    for (ArgValue a : nullSafe(place.args)) {
      if (given.put(a.name, a.value) != null) {
        throw new InvalidAnalysisException("args: '" + a.name + "' is given twice");
      }
    }
    Set<String> declaredSomewhere = new HashSet<>();
    Map<String, ResolvedMetric> out = new LinkedHashMap<>();
    for (TemplateRef ref : nullSafe(place.templates)) {
      String kind = ref.isClusterScope() ? "ClusterBatonAnalysisTemplate" : "BatonAnalysisTemplate";
      AnalysisTemplateSpec t = (ref.isClusterScope() ? templates.cluster(ref.name)
          : templates.namespaced(ref.name)).orElseThrow(() -> new InvalidAnalysisException(
              "templates: " + kind + " '" + ref.name + "' does not exist"
                  + (ref.isClusterScope() ? "" : " in namespace " + variables.namespace())));
      String source = kind + " " + ref.name;
      Map<String, String> values = new HashMap<>(variables.asMap());
      for (AnalysisArg arg : nullSafe(t.args)) {
        declaredSomewhere.add(arg.name);
        String value = given.getOrDefault(arg.name, arg.value);
        if (value == null) {
          throw new InvalidAnalysisException(source + ": argument '" + arg.name
              + "' has no value; give it in args");
        }
        if (arg.type == AnalysisArg.Type.number && !isFiniteNumber(value)) {
          throw new InvalidAnalysisException(source + ": argument '" + arg.name
              + "' is a number, not '" + value + "'");
        }
        values.put("args." + arg.name, value);
      }
      for (AnalysisMetric m : nullSafe(t.metrics)) {
        add(out, resolveMetric(source, m, values));
      }
    }
    for (String unknown : given.keySet()) {
      if (!declaredSomewhere.contains(unknown) && !nullSafe(place.templates).isEmpty()) {
        throw new InvalidAnalysisException("args: '" + unknown + "' is not an argument of any "
            + "of the templates");
      }
    }
    Map<String, AnalysisMetric> own = new HashMap<>();
    for (AnalysisMetric m : nullSafe(appMetrics)) {
      own.put(m.name, m);
    }
    Map<String, String> appValues = new HashMap<>(variables.asMap());
    given.forEach((k, v) -> appValues.put("args." + k, v));
    for (String name : nullSafe(place.metrics)) {
      AnalysisMetric m = own.get(name);
      if (m == null) {
        throw new InvalidAnalysisException("metrics: '" + name + "' is not in "
            + "spec.analysisMetrics");
      }
      add(out, resolveMetric("spec.analysisMetrics", m, appValues));
    }
    if (out.isEmpty()) {
      throw new InvalidAnalysisException("the analysis has no metric to run");
    }
    return List.copyOf(out.values());
  }

  /** One metric with {@code values} substituted in every string, its condition compiled. */
  public static ResolvedMetric resolveMetric(String source, AnalysisMetric metric,
      Map<String, String> values) {
    try {
      JsonNode tree = substitute(JSON.valueToTree(metric), values);
      AnalysisMetric resolved = JSON.treeToValue(tree, AnalysisMetric.class);
      if (resolved.provider == null) {
        throw new InvalidAnalysisException("needs a provider");
      }
      return ResolvedMetric.of(source, resolved);
    } catch (InvalidAnalysisException e) {
      throw new InvalidAnalysisException(source + ": metric '" + metric.name + "': "
          + e.getMessage());
    } catch (java.io.IOException e) {
      throw new InvalidAnalysisException(source + ": metric '" + metric.name + "': "
          + e.getMessage());
    }
  }

  private static void add(Map<String, ResolvedMetric> out, ResolvedMetric m) {
    ResolvedMetric earlier = out.putIfAbsent(m.name(), m);
    if (earlier != null) {
      throw new InvalidAnalysisException("metric '" + m.name() + "' comes from both "
          + earlier.source() + " and " + m.source() + "; metric names must be unique");
    }
  }

  private static JsonNode substitute(JsonNode node, Map<String, String> values) {
    if (node.isTextual()) {
      return TextNode.valueOf(Placeholders.substitute(node.asText(), values));
    }
    if (node.isObject()) {
      ObjectNode o = (ObjectNode) node;
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      for (String n : names) {
        o.set(n, substitute(o.get(n), values));
      }
    } else if (node.isArray()) {
      ArrayNode a = (ArrayNode) node;
      for (int i = 0; i < a.size(); i++) {
        a.set(i, substitute(a.get(i), values));
      }
    }
    return node;
  }

  private static boolean isFiniteNumber(String s) {
    try {
      return Double.isFinite(Double.parseDouble(s.strip()));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static <T> List<T> nullSafe(List<T> l) {
    return l == null ? List.of() : l;
  }
}
