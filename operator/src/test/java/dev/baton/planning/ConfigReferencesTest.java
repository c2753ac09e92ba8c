package dev.baton.planning;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import org.junit.jupiter.api.Test;

class ConfigReferencesTest {

  @Test
  void findsConfigMapsAndSecretsInEnvEnvFromVolumesAndProjections() {
    PodTemplateSpec t = new PodTemplateSpecBuilder().withNewSpec()
        .addNewContainer().withName("api")
        .addNewEnvFrom().withNewConfigMapRef().withName("cm-envfrom").endConfigMapRef().endEnvFrom()
        .addNewEnvFrom().withNewSecretRef().withName("s-envfrom").endSecretRef().endEnvFrom()
        .addNewEnv().withName("A").withNewValueFrom().withNewConfigMapKeyRef()
        .withName("cm-env").withKey("k").endConfigMapKeyRef().endValueFrom().endEnv()
        .addNewEnv().withName("B").withNewValueFrom().withNewSecretKeyRef()
        .withName("s-env").withKey("k").endSecretKeyRef().endValueFrom().endEnv()
        .addNewEnv().withName("PLAIN").withValue("x").endEnv()
        .endContainer()
        .addNewInitContainer().withName("init").addNewEnvFrom().withNewConfigMapRef()
        .withName("cm-init").endConfigMapRef().endEnvFrom().endInitContainer()
        .addNewVolume().withName("v1").withNewConfigMap().withName("cm-vol").endConfigMap()
        .endVolume()
        .addNewVolume().withName("v2").withNewSecret().withSecretName("s-vol").endSecret()
        .endVolume()
        .addNewVolume().withName("v3").withNewProjected()
        .addNewSource().withNewConfigMap().withName("cm-proj").endConfigMap().endSource()
        .addNewSource().withNewSecret().withName("s-proj").endSecret().endSource()
        .addNewSource().withNewServiceAccountToken().withPath("t").endServiceAccountToken()
        .endSource()
        .endProjected().endVolume()
        .addNewVolume().withName("v4").withNewEmptyDir().endEmptyDir().endVolume()
        .endSpec().build();

    ConfigReferences refs = ConfigReferences.of(t);

    assertThat(refs.configMaps())
        .containsExactly("cm-env", "cm-envfrom", "cm-init", "cm-proj", "cm-vol");
    assertThat(refs.secrets()).containsExactly("s-env", "s-envfrom", "s-proj", "s-vol");
  }

  @Test
  void aTemplateWithoutReferencesHasNone() {
    assertThat(ConfigReferences.of(Fixtures.template("api:1")).isEmpty()).isTrue();
  }

  @Test
  void requiredReferencesLeaveOutTheOptionalOnes() {
    PodTemplateSpec t = new PodTemplateSpecBuilder().withNewSpec()
        .addNewContainer().withName("api")
        .addNewEnvFrom().withNewConfigMapRef().withName("cm-needed").endConfigMapRef().endEnvFrom()
        .addNewEnvFrom().withNewConfigMapRef().withName("cm-optional").withOptional(true)
        .endConfigMapRef().endEnvFrom()
        .addNewEnv().withName("B").withNewValueFrom().withNewSecretKeyRef()
        .withName("s-optional").withKey("k").withOptional(true).endSecretKeyRef().endValueFrom()
        .endEnv()
        .endContainer()
        .addNewVolume().withName("v2").withNewSecret().withSecretName("s-needed").endSecret()
        .endVolume()
        .endSpec().build();

    ConfigReferences required = ConfigReferences.required(t);

    assertThat(required.configMaps()).containsExactly("cm-needed");
    assertThat(required.secrets()).containsExactly("s-needed");
    assertThat(ConfigReferences.of(t).configMaps()).contains("cm-optional");
  }
}
