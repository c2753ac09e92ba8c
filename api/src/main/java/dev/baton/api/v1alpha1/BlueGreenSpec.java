package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/** Blue/green: start the new version beside the live one, switch when it is ready. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@io.fabric8.generator.annotation.ValidationRule(
    value = "!has(self.analysis) || (has(self.trafficSteps) && size(self.trafficSteps) > 0)",
    message = "analysis runs beside trafficSteps: set trafficSteps, or use "
        + "prePromotionAnalysis/postPromotionAnalysis for a blue/green switch without steps",
    reason = "FieldValueInvalid")
public class BlueGreenSpec {

  @Default("true")
  @JsonPropertyDescription("Switch traffic as soon as the new version is ready (after "
      + "promotionDelaySeconds). When false, wait for a manual promote "
      + "(annotation baton.dev/promote or `kubectl baton promote`).")
  public Boolean autoPromotion;

  @Default("0")
  @Min(0)
  @JsonPropertyDescription("Seconds to wait after the new version is fully Ready before switching.")
  public Integer promotionDelaySeconds;

  @Min(1)
  @JsonPropertyDescription("Pods of the new version before promotion (default: replicas). It is "
      + "scaled to full size before traffic switches. A value above replicas counts as replicas "
      + "(not rejected, so that an autoscaler lowering replicas never fails validation).")
  public Integer previewReplicas;

  @Default("30")
  @Min(0)
  @JsonPropertyDescription("Seconds the previous version stays at full size after the switch, so "
      + "that an undo within that window is instant.")
  public Integer scaleDownDelaySeconds;

  @io.fabric8.generator.annotation.Size(min = 1, max = 32)
  @JsonPropertyDescription("Shift traffic through the ingress in steps instead of at once (needs "
      + "spec.ingress with a provider). The new version runs at full size first; each step sends "
      + "`weight` percent to it and holds for `pauseSeconds` (or until a manual promote); after "
      + "the last step all traffic switches.")
  public java.util.List<TrafficStep> trafficSteps;

  @JsonPropertyDescription("An analysis of the new version before the switch (on its preview "
      + "Service): traffic switches only once it passed; a timer never passes it.")
  public AnalysisSpec prePromotionAnalysis;

  @JsonPropertyDescription("An analysis after the switch, while the previous version is still "
      + "warm (it stays so until the verdict): if it fails, traffic switches back at once and "
      + "stays on the previous version until spec.template changes.")
  public AnalysisSpec postPromotionAnalysis;

  @JsonPropertyDescription("With trafficSteps: an analysis that runs in the background from "
      + "startingStep until the last step is passed, failing the rollout the moment a metric "
      + "fails (weight 0 in one write), whatever step it is at.")
  public BackgroundAnalysis analysis;
}
