package dev.baton.planning;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import java.util.Objects;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The checks of a spec that the CRD schema and its CEL rules cannot express. A failure becomes the
 * InvalidSpec condition; the serving version is left alone.
 */
public final class SpecValidator {

  private SpecValidator() {}

  /**
   * Why the spec cannot be acted on, or empty when it can.
   *
   * @param secretKeys the key names of a Secret in the app's namespace, or empty when it does not
   *     exist (read from the cache; values are never needed)
   */
  public static Optional<String> problem(AppSettings app,
      Function<String, Optional<Set<String>>> secretKeys) {
    return problem(app, secretKeys, configMap -> true);
  }

  /**
   * Why the spec cannot be acted on, or empty when it can; also when the pod template needs a
   * ConfigMap or Secret that does not exist (its pods could never start).
   *
   * @param secretKeys the key names of a Secret in the app's namespace, or empty when it does not
   *     exist (read from the cache; values are never needed)
   * @param configMapExists whether a ConfigMap of that name exists in the app's namespace
   */
  public static Optional<String> problem(AppSettings app,
      Function<String, Optional<Set<String>>> secretKeys, Predicate<String> configMapExists) {
    return problemBeforeTemplateReferences(app, secretKeys)
        .or(() -> missingReference(app, secretKeys, configMapExists));
  }

  private static Optional<String> missingReference(AppSettings app,
      Function<String, Optional<Set<String>>> secretKeys, Predicate<String> configMapExists) {
    ConfigReferences required = ConfigReferences.required(app.template());
    for (String name : required.configMaps()) {
      if (!configMapExists.test(name)) {
        return Optional.of("spec.template references ConfigMap '" + name + "', which does not "
            + "exist in namespace " + app.namespace() + ": create it, or mark the reference "
            + "optional");
      }
    }
    for (String name : required.secrets()) {
      if (secretKeys.apply(name).isEmpty()) {
        return Optional.of("spec.template references Secret '" + name + "', which does not "
            + "exist in namespace " + app.namespace() + ": create it, or mark the reference "
            + "optional");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> problemBeforeTemplateReferences(AppSettings app,
      Function<String, Optional<Set<String>>> secretKeys) {
    Optional<String> basic = basicProblem(app);
    if (basic.isPresent() || app.database() == null
        || app.database().credentialsSecretRef == null) {
      return basic;
    }
    var ref = app.database().credentialsSecretRef;
    Optional<Set<String>> keys = secretKeys.apply(ref.name);
    if (keys.isEmpty()) {
      return Optional.of("spec.database.credentialsSecretRef: Secret '" + ref.name
          + "' does not exist in namespace " + app.namespace());
    }
    for (String key : List.of(ref.usernameKey != null ? ref.usernameKey : "username",
        ref.passwordKey != null ? ref.passwordKey : "password")) {
      if (!keys.get().contains(key)) {
        return Optional.of("spec.database.credentialsSecretRef: Secret '" + ref.name
            + "' has no key '" + key + "'");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> basicProblem(AppSettings app) {
    if (app.template() == null || app.template().getSpec() == null
        || app.template().getSpec().getContainers() == null
        || app.template().getSpec().getContainers().isEmpty()) {
      return Optional.of("spec.template.spec.containers must list at least one container");
    }
    if (app.name().length() > 55) {
      return Optional.of("metadata.name must be at most 55 characters, so that the Service "
          + "'<name>-preview' is a valid DNS label");
    }
    if (app.targetPort().getStrVal() != null) {
      String name = app.targetPort().getStrVal();
      boolean declared = app.template().getSpec().getContainers().stream()
          .map(Container::getPorts)
          .filter(Objects::nonNull)
          .flatMap(java.util.List::stream)
          .map(ContainerPort::getName)
          .anyMatch(name::equals);
      if (!declared) {
        return Optional.of("spec.service.targetPort '" + name + "' is not the name of any "
            + "container port in spec.template; name the port or use its number");
      }
    }
    return Optional.empty();
  }
}
