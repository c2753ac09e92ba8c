package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/** What the user wants: the application, its size, its Service and how to release it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.progressDeadlineSeconds > (has(self.minReadySeconds) ? self.minReadySeconds : 0)",
    message = "progressDeadlineSeconds must be greater than minReadySeconds",
    fieldPath = ".progressDeadlineSeconds",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.template.metadata) || !has(self.template.metadata.labels)"
        + " || self.template.metadata.labels.all(k, !k.startsWith('baton.dev/'))",
    message = "template.metadata.labels must not use the baton.dev/ prefix: Baton sets those labels"
        + " itself to tell revisions apart",
    fieldPath = ".template.metadata.labels",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "!has(self.strategy) || !has(self.strategy.blueGreen)"
        + " || !has(self.strategy.blueGreen.trafficSteps)"
        + " || (has(self.ingress) && self.ingress.provider != 'none')",
    message = "strategy.blueGreen.trafficSteps needs spec.ingress with a provider (nginx, "
        + "gatewayAPI or traefik): weights are set on the ingress",
    fieldPath = ".strategy.blueGreen.trafficSteps",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.strategy) || !has(self.strategy.canary)"
        + " || !self.strategy.canary.steps.exists(s, has(s.setCanaryScale))"
        + " || (has(self.ingress) && self.ingress.provider != 'none')",
    message = "setCanaryScale needs spec.ingress with a provider: without one the canary's weight "
        + "is its share of the pods, so its size cannot be set apart from its weight",
    fieldPath = ".strategy.canary.steps",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.template.metadata) || !has(self.template.metadata.namespace)",
    message = "template.metadata.namespace must not be set: the pods always run in the app's own "
        + "namespace; remove the field",
    fieldPath = ".template.metadata.namespace",
    reason = "FieldValueForbidden")
public class BatonAppSpec {

  @SpecReplicas
  @Default("1")
  @Min(0)
  @JsonPropertyDescription("Number of pods of the live version. Also exposed through the scale "
      + "subresource, so `kubectl scale` or a HorizontalPodAutoscaler may own it.")
  public Integer replicas;

  @Required
  @JsonPropertyDescription("The pods to run, as in a Deployment. Any change to it (or to the content "
      + "of a ConfigMap or Secret it references) starts a new revision.")
  public PodTemplateSpec template;

  @JsonPropertyDescription("Minimum seconds a new pod must be Ready, without any container "
      + "crashing, before it counts as available and may receive traffic. Default 0.")
  @Min(0)
  public Integer minReadySeconds;

  @Required
  @JsonPropertyDescription("The Services in front of the app: `<name>` for the live version and "
      + "`<name>-preview` for the next one.")
  public ServiceSpec service;

  @JsonPropertyDescription("How a new revision replaces the live one. Defaults to blue/green.")
  public StrategySpec strategy;

  @JsonPropertyDescription("How traffic reaches the app from outside (Ingress, Gateway API route "
      + "or Traefik), and where Baton sets the weights between the live and the new version.")
  public IngressSpec ingress;

  @Default("600")
  @Min(1)
  @JsonPropertyDescription("Seconds a new revision may take to become fully Ready. When exceeded, "
      + "the rollout is aborted and the live version keeps serving (blue/green: the new version is "
      + "scaled to zero; rolling: the previous template is written back).")
  public Integer progressDeadlineSeconds;

  @Default("5")
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("How many past revisions to keep for `undo` (as ControllerRevisions).")
  public Integer revisionHistoryLimit;

  @JsonPropertyDescription("The data tier: primary, read replicas, cache and credentials. Each role "
      + "gets a Service and both versions get the connection settings; a change is a new revision.")
  public DatabaseSpec database;

  @JsonPropertyDescription("Where to report rollouts (in addition to Kubernetes Events and the "
      + "operator-wide webhook, if one is configured).")
  public NotificationsSpec notifications;

  @io.fabric8.generator.annotation.Size(max = 16)
  @JsonPropertyDescription("Metrics declared in the app itself, which its analyses (canary "
      + "steps, background, blue/green pre- and post-promotion) name in their `metrics`, beside "
      + "those of templates. Declared once here so that several analyses can share them.")
  public java.util.List<AnalysisMetric> analysisMetrics;

  @Default("false")
  @JsonPropertyDescription("When true, Baton starts no new rollout step: no promotion, no "
      + "scale-down, no new preview. The live version keeps serving.")
  public Boolean paused;
}
