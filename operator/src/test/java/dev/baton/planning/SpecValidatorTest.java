package dev.baton.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.BatonAppSpec;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The checks CEL cannot make: here, that what the pod template needs exists. */
class SpecValidatorTest {

  @Test
  void aMissingConfigMapOrSecretOfTheTemplateIsAnInvalidSpecThatSaysWhatToDo() {
    BatonAppSpec spec = Fixtures.spec(2, "api:1");
    spec.template.getSpec().getContainers().get(0).setEnvFrom(java.util.List.of(
        new EnvFromSourceBuilder().withNewConfigMapRef().withName("shop-config")
            .endConfigMapRef().build(),
        new EnvFromSourceBuilder().withNewSecretRef().withName("shop-keys").endSecretRef()
            .build()));
    AppSettings app = AppSettings.of("shop", "ns", 1, spec);

    assertThat(SpecValidator.problem(app, s -> Optional.of(Set.of("k")), cm -> false))
        .hasValue("spec.template references ConfigMap 'shop-config', which does not exist in "
            + "namespace ns: create it, or mark the reference optional");
    assertThat(SpecValidator.problem(app, s -> Optional.empty(), cm -> true))
        .hasValueSatisfying(m -> assertThat(m).startsWith("spec.template references Secret "
            + "'shop-keys', which does not exist in namespace ns"));
    assertThat(SpecValidator.problem(app, s -> Optional.of(Set.of("k")), cm -> true)).isEmpty();
  }
}
