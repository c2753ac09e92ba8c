package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** A BatonAnalysisTemplate in the app's namespace, or a ClusterBatonAnalysisTemplate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TemplateRef {

  @Required
  @JsonPropertyDescription("The template's name.")
  public String name;

  @Default("false")
  @JsonPropertyDescription("true: a ClusterBatonAnalysisTemplate (owned by the platform team); "
      + "false: a BatonAnalysisTemplate in the app's namespace.")
  public Boolean clusterScope;

  /** The namespaced template {@code name}. */
  public static TemplateRef namespaced(String name) {
    TemplateRef r = new TemplateRef();
    r.name = name;
    return r;
  }

  /** The cluster-scoped template {@code name}. */
  public static TemplateRef cluster(String name) {
    TemplateRef r = namespaced(name);
    r.clusterScope = true;
    return r;
  }

  /** Whether it names a ClusterBatonAnalysisTemplate. */
  public boolean isClusterScope() {
    return Boolean.TRUE.equals(clusterScope);
  }
}
