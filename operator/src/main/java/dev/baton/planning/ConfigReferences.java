package dev.baton.planning;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The ConfigMaps and Secrets a pod template reads (env, envFrom, volumes, projected volumes), so
 * that a change to their content starts a new revision like a change to the template does.
 *
 * @param configMaps names of referenced ConfigMaps
 * @param secrets names of referenced Secrets
 */
public record ConfigReferences(SortedSet<String> configMaps, SortedSet<String> secrets) {

  /** True when the template reads neither. */
  public boolean isEmpty() {
    return configMaps.isEmpty() && secrets.isEmpty();
  }

  public boolean referencesConfigMap(String name) {
    return configMaps.contains(name);
  }

  public boolean referencesSecret(String name) {
    return secrets.contains(name);
  }

  /** Finds every reference in a pod template. */
  public static ConfigReferences of(PodTemplateSpec template) {
    return collect(template, true);
  }

  /**
   * The references a pod cannot start without: those not marked {@code optional: true}. A pod
   * missing one of them never becomes ready (CreateContainerConfigError), so Baton reports it
   * up front rather than starting a rollout that can only time out.
   */
  public static ConfigReferences required(PodTemplateSpec template) {
    return collect(template, false);
  }

  private static ConfigReferences collect(PodTemplateSpec template, boolean withOptional) {
    SortedSet<String> cms = new TreeSet<>();
    SortedSet<String> secrets = new TreeSet<>();
    PodSpec spec = template == null ? null : template.getSpec();
    if (spec == null) {
      return new ConfigReferences(cms, secrets);
    }
    List<Container> containers = new ArrayList<>();
    Stream.of(spec.getContainers(), spec.getInitContainers())
        .filter(Objects::nonNull).forEach(containers::addAll);
    for (Container c : containers) {
      for (EnvFromSource from : nonNull(c.getEnvFrom())) {
        if (from.getConfigMapRef() != null && (withOptional
            || !isTrue(from.getConfigMapRef().getOptional()))) {
          addName(cms, from.getConfigMapRef().getName());
        }
        if (from.getSecretRef() != null && (withOptional
            || !isTrue(from.getSecretRef().getOptional()))) {
          addName(secrets, from.getSecretRef().getName());
        }
      }
      for (EnvVar env : nonNull(c.getEnv())) {
        var source = env.getValueFrom();
        if (source != null && source.getConfigMapKeyRef() != null && (withOptional
            || !isTrue(source.getConfigMapKeyRef().getOptional()))) {
          addName(cms, source.getConfigMapKeyRef().getName());
        }
        if (source != null && source.getSecretKeyRef() != null && (withOptional
            || !isTrue(source.getSecretKeyRef().getOptional()))) {
          addName(secrets, source.getSecretKeyRef().getName());
        }
      }
    }
    for (Volume v : nonNull(spec.getVolumes())) {
      if (v.getConfigMap() != null && (withOptional || !isTrue(v.getConfigMap().getOptional()))) {
        addName(cms, v.getConfigMap().getName());
      }
      if (v.getSecret() != null && (withOptional || !isTrue(v.getSecret().getOptional()))) {
        addName(secrets, v.getSecret().getSecretName());
      }
      if (v.getProjected() != null) {
        for (VolumeProjection p : nonNull(v.getProjected().getSources())) {
          if (p.getConfigMap() != null
              && (withOptional || !isTrue(p.getConfigMap().getOptional()))) {
            addName(cms, p.getConfigMap().getName());
          }
          if (p.getSecret() != null && (withOptional || !isTrue(p.getSecret().getOptional()))) {
            addName(secrets, p.getSecret().getName());
          }
        }
      }
    }
    return new ConfigReferences(cms, secrets);
  }

  /** A reference without a name (invalid, and rejected by the API server for pods) is skipped. */
  private static void addName(SortedSet<String> names, String name) {
    if (name != null && !name.isEmpty()) {
      names.add(name);
    }
  }

  private static boolean isTrue(Boolean b) {
    return Boolean.TRUE.equals(b);
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }
}
