package dev.baton.planning;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import java.util.Objects;
import java.util.Optional;

/**
 * The checks of a spec that the CRD schema and its CEL rules cannot express. A failure becomes the
 * InvalidSpec condition; the serving version is left alone.
 */
public final class SpecValidator {

  private SpecValidator() {}

  /** Why the spec cannot be acted on, or empty when it can. */
  public static Optional<String> problem(AppSettings app) {
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
