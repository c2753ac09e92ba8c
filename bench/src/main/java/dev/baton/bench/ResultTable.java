package dev.baton.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Prints the benchmark's result as one table of figures (the JSON holds the same and more). */
final class ResultTable {

  private ResultTable() {}

  @SuppressWarnings("unchecked")
  static void print(Map<String, Object> result, Map<String, Object> usage) {
    Map<String, Object> s = map(result.get("settings"));
    Map<String, Object> m = map(result.get("machine"));
    System.out.printf("%nBaton benchmark: %s apps in %s namespaces, %s replicas, %s KWOK nodes, "
            + "controller-manager qps/burst %s/%s; machine: %s cores, %s GiB, load %s%n%n",
        s.get("apps"), s.get("namespaces"), s.get("replicas"), s.get("nodes"), s.get("controllerManagerQps"),
        s.get("controllerManagerBurst"), m.get("cores"), m.get("memoryGiB"), m.get("loadAverageAtStart"));
    List<String[]> rows = new ArrayList<>();
    Map<String, Object> st = map(result.get("startup"));
    rows.add(new String[] {"start-up to first reconcile (s)", fmt(st.get("toFirstReconcileSeconds"))});
    rows.add(new String[] {"start-up to first status write seen (s)", fmt(st.get("toFirstStatusWriteSeconds"))});
    if (result.get("floor") != null) {
      rows.add(new String[] {"floor: the same Deployments and Services without Baton, to all available (s)",
          fmt(map(result.get("floor")).get("allAvailableSeconds"))});
    }
    rows.add(new String[] {"cold convergence, first create to all Healthy (s)",
        fmt(map(result.get("coldConvergence")).get("allHealthySeconds"))});
    if (result.containsKey("rollout")) {
      rolloutRows(result, rows);
    }
    Map<String, Object> api = map(result.get("apiRequests"));
    for (String phase : List.of("startup", "cold", "idle", "rollout")) {
      if (api.containsKey(phase)) {
        Map<String, Object> a = map(api.get(phase));
        rows.add(new String[] {"API " + phase + ": writes/min, reads/min (by verb)",
            fmt(a.get("writesPerMinute")) + ", " + fmt(a.get("readsPerMinute")) + "  " + a.get("requestsByVerb")});
      }
    }
    for (String phase : List.of("startup", "cold", "idle", "rollout")) {
      OperatorProcess.Usage u = (OperatorProcess.Usage) usage.get(phase);
      if (u == null) {
        continue;
      }
      rows.add(new String[] {"operator after " + phase + ": RSS MiB, CPU s, heap used MiB",
          String.format("%.0f, %.1f, %.0f", u.rssMiB(), u.cpuSeconds(), u.heapUsedMiB())});
    }
    Map<String, Object> rec = map(result.get("reconciles"));
    for (String phase : List.of("cold", "rollout")) {
      if (!rec.containsKey(phase)) {
        continue;
      }
      Map<String, Object> q = map(rec.get(phase));
      rows.add(new String[] {"reconciles per app, " + phase + " (updates reconciled / skipped per app)",
          fmt(q.get("reconcilesPerApp")) + " (" + fmt(q.get("updatesReconciledPerApp")) + " / "
              + fmt(q.get("updatesSkippedPerApp")) + ")"});
    }
    int width = rows.stream().mapToInt(x -> x[0].length()).max().orElse(10);
    rows.forEach(x -> System.out.printf("%-" + width + "s  %s%n", x[0], x[1]));
  }

  private static void rolloutRows(Map<String, Object> result, List<String[]> rows) {
    Map<String, Object> r = map(result.get("rollout"));
    rows.add(new String[] {"rollout, image change to all switched and Healthy (s)",
        fmt(r.get("allSwitchedAndHealthySeconds"))});
    Map<String, Object> p = map(result.get("promotionLatency"));
    rows.add(new String[] {"promotion, pod Ready condition -> switch seen, p50/p95/p99/max (ms)",
        ms(map(p.get("podConditionToSwitchSeconds")))});
    rows.add(new String[] {"promotion, pod Ready seen -> switch seen, p50/p95/p99/max (ms)",
        ms(map(p.get("podReadySeenToSwitchSeenSeconds")))});
    rows.add(new String[] {"  of which pod Ready seen -> Deployment available seen (ms)",
        ms(map(p.get("podReadySeenToDeploymentAvailableSeenSeconds")))});
    rows.add(new String[] {"  of which Deployment available seen -> switch seen (ms)",
        ms(map(p.get("deploymentAvailableSeenToSwitchSeenSeconds")))});
    rows.add(new String[] {"  or: pod Ready seen -> preview EndpointSlices list all ready (ms)",
        ms(map(p.get("podReadySeenToPreviewEndpointsReadySeenSeconds")))});
    rows.add(new String[] {"  then: preview endpoints ready seen -> switch seen (ms)",
        ms(map(p.get("previewEndpointsReadySeenToSwitchSeenSeconds")))});
    rows.add(new String[] {"promotion, Baton's histogram, p50/p95/p99/max (ms)",
        ms(map(p.get("batonHistogramSeconds")))});
  }

  private static String fmt(Object o) {
    return o instanceof Double d ? String.format("%.2f", d) : String.valueOf(o);
  }

  private static String ms(Map<String, Object> q) {
    if (q == null) {
      return "-";
    }
    List<String> out = new ArrayList<>();
    for (String k : List.of("p50", "p95", "p99", "max")) {
      out.add(q.get(k) instanceof Number v ? String.format("%.0f", v.doubleValue() * 1000) : "-");
    }
    return String.join(" / ", out);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }
}
