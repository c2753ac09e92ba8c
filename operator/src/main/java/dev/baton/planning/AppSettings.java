package dev.baton.planning;

import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.BlueGreenSpec;
import dev.baton.api.v1alpha1.CanarySpec;
import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.api.v1alpha1.DatabaseSpec;
import dev.baton.api.v1alpha1.RollingSpec;
import dev.baton.api.v1alpha1.ServiceSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.time.Duration;
import java.util.List;

/**
 * A BatonApp's spec with every default applied, so planners never see a null.
 *
 * @param previewReplicas already capped at {@code replicas}
 * @param database the data tier, or null
 * @param strategy how a new revision replaces the live one (which planner rolls the app out)
 * @param steps the steps of a canary or of a stepped blue/green (empty: switch at once)
 * @param ingress the ingress settings, never null (provider none when absent)
 * @param maxSurge the rolling strategy's surge (number or percentage), default 25%
 * @param maxUnavailable the rolling strategy's unavailability budget, default 0
 */
public record AppSettings(
    String name,
    String namespace,
    long generation,
    int replicas,
    PodTemplateSpec template,
    int minReadySeconds,
    int servicePort,
    IntOrString targetPort,
    ServiceSpec.Type serviceType,
    boolean autoPromotion,
    Duration promotionDelay,
    int previewReplicas,
    Duration scaleDownDelay,
    Duration progressDeadline,
    int revisionHistoryLimit,
    boolean paused,
    DatabaseSpec database,
    Strategy strategy,
    List<RolloutStep> steps,
    IngressSpec ingress,
    IntOrString maxSurge,
    IntOrString maxUnavailable) {

  /** The release strategies (at most one is set in the spec; blue/green when none is). */
  public enum Strategy { BLUE_GREEN, CANARY, ROLLING }

  /** The ingress provider in use. */
  public IngressSpec.Provider provider() {
    return ingress.provider == null ? IngressSpec.Provider.none : ingress.provider;
  }

  /** The path prefixes routed to the app. */
  public List<String> paths() {
    return ingress.paths == null || ingress.paths.isEmpty() ? List.of("/") : ingress.paths;
  }


  /** Applies the defaults the CRD schema also declares (the API server may not have, e.g. on old objects). */
  public static AppSettings of(String name, String namespace, long generation, BatonAppSpec spec) {
    BlueGreenSpec bg = spec.strategy != null && spec.strategy.blueGreen != null
        ? spec.strategy.blueGreen : new BlueGreenSpec();
    CanarySpec canary = spec.strategy != null ? spec.strategy.canary : null;
    RollingSpec rolling = spec.strategy != null ? spec.strategy.rolling : null;
    Strategy strategy = rolling != null ? Strategy.ROLLING
        : canary != null ? Strategy.CANARY : Strategy.BLUE_GREEN;
    IngressSpec ingress = spec.ingress != null ? spec.ingress : new IngressSpec();
    Integer scaleDownDelay = canary != null ? canary.scaleDownDelaySeconds
        : bg.scaleDownDelaySeconds;
    int replicas = orDefault(spec.replicas, 1);
    ServiceSpec service = spec.service != null ? spec.service : new ServiceSpec();
    int port = orDefault(service.port, 80);
    return new AppSettings(
        name,
        namespace,
        generation,
        replicas,
        spec.template,
        orDefault(spec.minReadySeconds, 0),
        port,
        service.targetPort != null ? service.targetPort : new IntOrString(port),
        service.type != null ? service.type : ServiceSpec.Type.ClusterIP,
        bg.autoPromotion == null || bg.autoPromotion,
        Duration.ofSeconds(orDefault(bg.promotionDelaySeconds, 0)),
        Math.min(replicas, orDefault(bg.previewReplicas, replicas)),
        Duration.ofSeconds(orDefault(scaleDownDelay, 30)),
        Duration.ofSeconds(orDefault(spec.progressDeadlineSeconds, 600)),
        orDefault(spec.revisionHistoryLimit, 5),
        spec.paused != null && spec.paused,
        spec.database,
        strategy,
        canary != null ? RolloutStep.of(canary) : RolloutStep.of(bg),
        ingress,
        rolling != null && rolling.maxSurge != null ? rolling.maxSurge : new IntOrString("25%"),
        rolling != null && rolling.maxUnavailable != null ? rolling.maxUnavailable
            : new IntOrString(0));
  }

  private static int orDefault(Integer value, int fallback) {
    return value != null ? value : fallback;
  }
}
