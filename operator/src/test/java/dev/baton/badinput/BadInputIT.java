package dev.baton.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.baton.operator.BatonMetrics;
import dev.baton.operator.Controllers;
import dev.baton.operator.OperatorSettings;
import dev.baton.operator.UrgentFirstExecutor;
import dev.baton.planning.Labels;
import dev.baton.testcluster.InProcessOperator;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad specs against the real API server and a running operator (seeded, {@link
 * BadSpecGenerator}): each one, sent as a create and (every other one) as an update of a Healthy
 * app, must be rejected by the API server with a message naming a field, or be accepted and get
 * InvalidSpec naming what to fix; the Healthy app's Deployments and Services are never written;
 * reconciles per bad spec stay bounded (JOSDK's reconcile counter, as Baton exports it). The
 * default suite runs a short slice; {@code bench/bad-input.sh} runs 10,000 and prints the
 * figures ({@code baton.badInput.count}, {@code baton.badInput.seed}).
 */
@ExtendWith(TestClusterExtension.class)
class BadInputIT {

  private static final Pattern NAMES_A_FIELD = Pattern.compile("\\b(spec|metadata)\\.[A-Za-z]");
  private static final String VICTIM = "victim";
  private static final ResourceDefinitionContext BATON_APP = new ResourceDefinitionContext.Builder()
      .withGroup("baton.dev").withVersion("v1alpha1").withKind("BatonApp").withPlural("batonapps")
      .withNamespaced(true).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Integer> tally = new TreeMap<>();
  private final Map<String, Integer> kinds = new TreeMap<>();
  private final List<String> findings = new ArrayList<>();

  @Test
  void badSpecsAreRejectedOrInvalidAndNeverTouchTheServingApp(TestCluster cluster)
      throws IOException {
    int count = Integer.getInteger("baton.badInput.count", 150);
    long seed = Long.getLong("baton.badInput.seed", 20);
    // -Dit.test runs a class in the chart-identity pass too: the long run needs only one pass.
    org.junit.jupiter.api.Assumptions.assumeFalse(count > 150
        && "chart".equals(System.getProperty("baton.test.operatorIdentity")));
    KubernetesClient client = cluster.client();
    BadSpecGenerator generator = new BadSpecGenerator(Path.of(System.getProperty("baton.repoRoot", "..")), seed);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (AutoCloseable operator = startOperator(cluster, registry)) {
      ObjectNode healthySpec = generator.healthyBase();
      healthySpec.withObject("strategy").withObject("blueGreen").put("scaleDownDelaySeconds", 2);
      apps(client).resource(app(VICTIM, healthySpec)).create();
      awaitStatus(client, VICTIM, s -> "Healthy".equals(s.get("phase")), 120);
      String serving = servingObjects(client);
      long heapBefore = usedHeapAfterGc();
      double reconcilesBefore = reconciles(registry);
      long started = System.nanoTime();

      for (int i = 0; i < count; i++) {
        BadSpecGenerator.BadSpec bad = generator.next();
        kinds.merge(bad.kind(), 1, Integer::sum);
        create(client, "bad-" + i, bad);
        if (i % 2 == 1) {
          update(client, bad, healthySpec);
          String now = servingObjects(client);
          if (!now.equals(serving)) {
            count("servingObjectsTouched");
            findings.add("update touched the serving objects: " + bad.what());
            serving = now;
          }
        }
      }
      double reconcileCount = reconciles(registry) - reconcilesBefore;
      long seconds = (System.nanoTime() - started) / 1_000_000_000L;
      // Quiet time: with every bad app still present, nothing reconciles in a loop.
      double beforeQuiet = reconciles(registry);
      org.awaitility.Awaitility.await().during(java.time.Duration.ofSeconds(5))
          .atMost(java.time.Duration.ofSeconds(7))
          .until(() -> reconciles(registry) - beforeQuiet < 5);
      double quietReconciles = reconciles(registry) - beforeQuiet;
      long heapAfter = usedHeapAfterGc();

      int tried = count + count / 2;
      String figures = String.format(java.util.Locale.ROOT, """
          bad-input seed=%d specs=%d (creates %d, updates of a Healthy app %d) in %d s
            tried                          %d
            rejected by schema/CEL         %d
            rejected without a field named %d
            InvalidSpec naming a field     %d
            accepted without InvalidSpec   %d
            children created for bad apps  %d
            serving objects touched        %d
            reconciles per bad spec        %.2f (%.0f in all; %.0f in 5 s of quiet after)
            heap used before/after (MiB)   %d / %d
            by mutation kind               %s
          """, seed, count, count, count / 2, seconds, tried, get("rejectedBySchema"),
          get("rejectedUnclear"), get("invalidSpec"), get("acceptedSilently"),
          get("childrenOfBadApp"), get("servingObjectsTouched"), reconcileCount / tried,
          reconcileCount, quietReconciles, heapBefore >> 20, heapAfter >> 20, kinds());
      System.out.println(figures + String.join("\n", findings));
      Path out = Path.of("target", "bad-input-figures.txt");
      Files.writeString(out, figures + String.join("\n", findings) + "\n");

      assertThat(findings).as("bad specs handled wrongly").isEmpty();
      assertThat(get("rejectedBySchema") + get("invalidSpec")).isEqualTo(tried);
      assertThat(reconcileCount / tried).as("reconciles per bad spec").isLessThan(10);
      assertThat(quietReconciles).as("reconciles while nothing changes").isLessThan(5);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void create(KubernetesClient client, String name, BadSpecGenerator.BadSpec bad) {
    try {
      apps(client).resource(app(name, bad.spec())).create();
    } catch (KubernetesClientException e) {
      rejected("create", bad, e);
      return;
    }
    accepted(client, name, "create", bad);
    if (!client.apps().deployments().withLabel(Labels.APP, name).list().getItems().isEmpty()) {
      count("childrenOfBadApp");
      findings.add("create: Deployment made for a bad spec: " + bad.what());
    }
    apps(client).withName(name).delete();
  }

  private void update(KubernetesClient client, BadSpecGenerator.BadSpec bad,
      ObjectNode healthySpec) {
    try {
      replaceSpec(client, bad.spec());
    } catch (KubernetesClientException e) {
      rejected("update", bad, e);
      return;
    }
    accepted(client, VICTIM, "update", bad);
    long generation = replaceSpec(client, healthySpec);
    awaitStatus(client, VICTIM, s -> observed(s) >= generation && invalidSpec(s) == null
        && "Healthy".equals(s.get("phase")), 60);
  }

  private void rejected(String how, BadSpecGenerator.BadSpec bad, KubernetesClientException e) {
    if ((e.getCode() == 422 || e.getCode() == 400)
        && NAMES_A_FIELD.matcher(String.valueOf(e.getMessage())).find()) {
      count("rejectedBySchema");
    } else {
      count("rejectedUnclear");
      findings.add(how + ": rejected without naming a field (" + e.getCode() + " "
          + abbreviate(e.getMessage()) + "): " + bad.what());
    }
  }

  private void accepted(KubernetesClient client, String name, String how,
      BadSpecGenerator.BadSpec bad) {
    long generation = apps(client).withName(name).get().getMetadata().getGeneration();
    Map<String, Object> status;
    try {
      status = awaitStatus(client, name, s -> observed(s) >= generation && invalidSpec(s) != null,
          30);
    } catch (RuntimeException timeout) {
      count("acceptedSilently");
      findings.add(how + ": accepted without InvalidSpec: " + bad.what());
      return;
    }
    String message = invalidSpec(status);
    if (NAMES_A_FIELD.matcher(message).find()) {
      count("invalidSpec");
    } else {
      count("acceptedSilently");
      findings.add(how + ": InvalidSpec names no field (" + message + "): " + bad.what());
    }
  }

  private long replaceSpec(KubernetesClient client, ObjectNode spec) {
    GenericKubernetesResource current = apps(client).withName(VICTIM).get();
    current.setAdditionalProperty("spec", JSON.convertValue(spec, Map.class));
    return apps(client).resource(current).update().getMetadata().getGeneration();
  }

  /** What the Healthy app serves with: its Deployments and Services as written (not status). */
  private static String servingObjects(KubernetesClient client) {
    StringBuilder b = new StringBuilder();
    for (Deployment d : client.apps().deployments().withLabel(Labels.APP, VICTIM).list()
        .getItems()) {
      b.append(d.getMetadata().getName()).append(' ').append(d.getMetadata().getGeneration())
          .append(' ').append(new TreeMap<>(d.getMetadata().getAnnotations())).append('\n');
    }
    for (String s : List.of(VICTIM, VICTIM + "-preview")) {
      var service = client.services().withName(s).get();
      b.append(s).append(' ').append(service == null ? "absent"
          : service.getMetadata().getResourceVersion()).append('\n');
    }
    return b.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> awaitStatus(KubernetesClient client, String name,
      java.util.function.Predicate<Map<String, Object>> test, int seconds) {
    GenericKubernetesResource app = apps(client).withName(name).waitUntilCondition(a -> a != null
        && a.getAdditionalProperties().get("status") instanceof Map<?, ?> s
        && test.test((Map<String, Object>) s), seconds, TimeUnit.SECONDS);
    return (Map<String, Object>) app.getAdditionalProperties().get("status");
  }

  private static long observed(Map<String, Object> status) {
    return status.get("observedGeneration") instanceof Number n ? n.longValue() : -1;
  }

  /** The InvalidSpec condition's message when it is True, else null. */
  @SuppressWarnings("unchecked")
  private static String invalidSpec(Map<String, Object> status) {
    if (!(status.get("conditions") instanceof List<?> conditions)) {
      return null;
    }
    for (Object c : conditions) {
      Map<String, Object> m = (Map<String, Object>) c;
      if ("InvalidSpec".equals(m.get("type")) && "True".equals(m.get("status"))) {
        return String.valueOf(m.get("message"));
      }
    }
    return null;
  }

  private static GenericKubernetesResource app(String name, ObjectNode spec) {
    GenericKubernetesResource r = new GenericKubernetesResourceBuilder()
        .withApiVersion("baton.dev/v1alpha1").withKind("BatonApp")
        .withNewMetadata().withName(name).endMetadata().build();
    r.setAdditionalProperty("spec", JSON.convertValue(spec, Map.class));
    return r;
  }

  private static NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
      Resource<GenericKubernetesResource>> apps(KubernetesClient client) {
    return client.genericKubernetesResources(BATON_APP).inNamespace(client.getNamespace());
  }

  private static AutoCloseable startOperator(TestCluster cluster, SimpleMeterRegistry registry) {
    InProcessOperator.installCrd(cluster.client());
    KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(cluster.operatorConfig()).build();
    UrgentFirstExecutor reconciles = new UrgentFirstExecutor(4);
    // As main does, with JOSDK's reconcile counters in a registry this test reads.
    Operator operator = new Operator(o -> o.withKubernetesClient(client)
        .withCloseClientOnStop(true).withExecutorService(reconciles)
        .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry)));
    Controllers.register(operator, client, new OperatorSettings(
            new InetSocketAddress("127.0.0.1", 0), Set.of(cluster.namespace()), 4),
        new BatonMetrics(registry), reconciles);
    operator.start();
    return () -> {
      operator.stop();
      client.close();
    };
  }

  private static double reconciles(SimpleMeterRegistry registry) {
    return registry.getMeters().stream()
        .filter(m -> m.getId().getName().startsWith("operator.sdk.reconciliations.started"))
        .filter(m -> m instanceof Counter).mapToDouble(m -> ((Counter) m).count()).sum();
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private void count(String what) {
    tally.merge(what, 1, Integer::sum);
  }

  private int get(String what) {
    return tally.getOrDefault(what, 0);
  }

  private String kinds() {
    return kinds.toString();
  }

  private static String abbreviate(String s) {
    return s == null || s.length() < 160 ? s : s.substring(0, 160) + "...";
  }
}
