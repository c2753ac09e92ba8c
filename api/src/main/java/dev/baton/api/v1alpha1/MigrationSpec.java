package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/**
 * Schema migrations tied to the rollout, run as Jobs from one image: {@code expand} before a new
 * revision gets any pods, {@code contract} once the previous version is gone for good,
 * {@code onAbort} when a rollout that ran {@code expand} is aborted.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.expand) || has(self.contract) || has(self.onAbort)",
    message = "set at least one of expand, contract and onAbort",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "!has(self.podLabels) || self.podLabels.all(k, !k.startsWith('baton.dev/'))",
    message = "podLabels must not use the baton.dev/ prefix: Baton sets those labels itself",
    fieldPath = ".podLabels",
    reason = "FieldValueForbidden")
public class MigrationSpec {

  @Required
  @JsonPropertyDescription("The image of the migration Jobs (required: the app's image is not "
      + "assumed to carry the migration tool). Its pods get the same connection environment as "
      + "the app (DB_PRIMARY_HOST, ..., DB_USERNAME/DB_PASSWORD by secretKeyRef), plus "
      + "BATON_REVISION and BATON_MIGRATION_PHASE.")
  public String image;

  @JsonPropertyDescription("Runs before the new revision starts any pod (also on the first "
      + "deploy). It must succeed for the rollout to go on; if it fails, the rollout is aborted and "
      + "the live version keeps serving. Job <app>-r<revision>-expand.")
  public MigrationStep expand;

  @JsonPropertyDescription("Runs once the new revision serves at full size and every other version "
      + "has been scaled down after its rollback window (scaleDownDelaySeconds). Job "
      + "<app>-r<revision>-contract.")
  public MigrationStep contract;

  @JsonPropertyDescription("Runs when a rollout whose expand Job was started is aborted (by "
      + "request, at its progress deadline, or because expand failed), once expand has finished. "
      + "Job <app>-r<revision>-onabort.")
  public MigrationStep onAbort;

  @Default("0")
  @Min(0)
  @Max(10)
  @JsonPropertyDescription("Retries of a failed migration pod before its Job fails (the Job's "
      + "backoffLimit). Default 0: a migration that fails is not run again by itself.")
  public Integer backoffLimit;

  @Default("600")
  @Min(1)
  @JsonPropertyDescription("Seconds a migration Job may run before Kubernetes stops it and it "
      + "fails with DeadlineExceeded (the Job's activeDeadlineSeconds). Default 600.")
  public Long activeDeadlineSeconds;

  @JsonPropertyDescription("Extra labels for the migration pods (for example for network "
      + "policies or sidecar injection). The app's own pod labels are not copied, so that no "
      + "Service or policy meant for the app selects a migration pod.")
  public Map<String, String> podLabels;

  @JsonPropertyDescription("Extra annotations for the migration pods.")
  public Map<String, String> podAnnotations;

  @JsonPropertyDescription("The ServiceAccount of the migration pods. Default: the app template's "
      + "serviceAccountName, if any, else the namespace's default.")
  public String serviceAccountName;
}
