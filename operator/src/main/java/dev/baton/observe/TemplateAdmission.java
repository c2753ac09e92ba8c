package dev.baton.observe;

import dev.baton.planning.RevisionHasher;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Asks the API server, by a dry-run create of a Deployment, whether it accepts a new revision's
 * pod template, before Baton writes anything for it. The CRD schema cannot check the pod
 * template (it is Kubernetes' own type, validated only when a Deployment is written), so without
 * this a template the API server rejects (a container name that is not a DNS label, a label
 * value over 63 characters) is found only when the new Deployment's write fails, after the
 * record and the preview Service were written, and the app never says why. The answer is kept
 * per namespace and template, so each new template costs one request; an answer other than
 * "invalid" (no permission, a timeout) is not kept and lets the rollout go on as before.
 */
public final class TemplateAdmission {

  private static final int REMEMBERED = 4096;

  private final KubernetesClient client;
  private final Map<String, Optional<String>> answers = Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<String>> eldest) {
          return size() > REMEMBERED;
        }
      });

  public TemplateAdmission(KubernetesClient client) {
    this.client = client;
  }

  /** Why the API server would reject a Deployment of this template, or empty. */
  public Optional<String> problem(String namespace, PodTemplateSpec template) {
    String key = namespace + "/" + RevisionHasher.hash(template);
    Optional<String> known = answers.get(key);
    if (known != null) {
      return known;
    }
    try {
      client.apps().deployments().inNamespace(namespace).resource(probe(template)).dryRun()
          .create();
      answers.put(key, Optional.empty());
      return Optional.empty();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 422 || e.getStatus() == null || e.getStatus().getDetails() == null) {
        return Optional.empty();
      }
      // The Deployment's spec.template is the BatonApp's spec.template: the paths carry over.
      String causes = e.getStatus().getDetails().getCauses().stream()
          .filter(c -> c.getField() == null || c.getField().startsWith("spec.template"))
          .map(TemplateAdmission::describe).distinct().limit(3)
          .collect(Collectors.joining("; "));
      Optional<String> problem = causes.isEmpty() ? Optional.empty() : Optional.of(causes
          + " (the API server rejects this pod template; fix spec.template)");
      answers.put(key, problem);
      return problem;
    }
  }

  private static String describe(StatusCause c) {
    return c.getField() == null ? c.getMessage() : c.getField() + ": " + c.getMessage();
  }

  /** A Deployment of no pods that selects the template's pods by a label of its own. */
  private static Deployment probe(PodTemplateSpec template) {
    PodTemplateSpec labelled = new PodTemplateSpecBuilder(template).editOrNewMetadata()
        .addToLabels("baton.dev/admission-probe", "true").endMetadata().build();
    return new DeploymentBuilder().withNewMetadata().withGenerateName("baton-admission-probe-")
        .endMetadata().withNewSpec().withReplicas(0).withNewSelector()
        .addToMatchLabels("baton.dev/admission-probe", "true").endSelector()
        .withTemplate(labelled).endSpec().build();
  }
}
