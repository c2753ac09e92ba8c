package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;

/**
 * A plain rolling update of one Deployment, with Baton's progress deadline, abort, undo and
 * status on top. The two bounds mean what they mean on a Deployment.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.maxSurge) && has(self.maxUnavailable)"
        + " && (type(self.maxSurge) == int ? self.maxSurge == 0 : self.maxSurge == '0%')"
        + " && (type(self.maxUnavailable) == int ? self.maxUnavailable == 0"
        + " : self.maxUnavailable == '0%'))",
    message = "maxSurge and maxUnavailable must not both be zero: the rollout could never make "
        + "progress",
    reason = "FieldValueInvalid")
public class RollingSpec {

  @Default("25%")
  @ValidationRule(
      value = "type(self) == int ? self >= 0 : self.matches('^(100|[1-9]?[0-9])%$')",
      message = "must be a non-negative number of pods or a percentage from 0% to 100%",
      reason = "FieldValueInvalid")
  @JsonPropertyDescription("Pods the Deployment may run above `replicas` while it rolls: a number "
      + "or a percentage of replicas (rounded up). Default 25%.")
  public IntOrString maxSurge;

  @Default("0")
  @ValidationRule(
      value = "type(self) == int ? self >= 0 : self.matches('^(100|[1-9]?[0-9])%$')",
      message = "must be a non-negative number of pods or a percentage from 0% to 100%",
      reason = "FieldValueInvalid")
  @JsonPropertyDescription("Pods that may be unavailable during the rollout: a number or a "
      + "percentage of replicas (rounded down). Default 0, so the app never has fewer available "
      + "pods than `replicas`; a value above zero trades that guarantee for a faster rollout.")
  public IntOrString maxUnavailable;

  @JsonPropertyDescription("Analysis of the new revision while it rolls out and after its last "
      + "pod is updated: the revision becomes the stable one only once this analysis passed (a "
      + "timer never passes it, so every metric needs a count). A failure writes the previous "
      + "template back (reason AnalysisFailed; the Deployment controller rolls the old pods "
      + "back within the same bounds); an inconclusive verdict pauses the Deployment where it "
      + "is until a promote accepts it once, an abort, or the progress deadline. Built-in checks "
      + "measure the app's one route, which serves old and new pods while they mix.")
  public AnalysisSpec analysis;
}
