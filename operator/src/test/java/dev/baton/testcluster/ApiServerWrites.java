package dev.baton.testcluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts write requests from the API server's own metrics ({@code apiserver_request_total}), for
 * the resources Baton writes. Status writes of Deployments are left out: the Deployment controller
 * makes those.
 */
public final class ApiServerWrites {

  private static final Set<String> WRITE_VERBS = Set.of("POST", "PUT", "PATCH", "DELETE", "APPLY");
  private static final Set<String> RESOURCES =
      Set.of("batonapps", "deployments", "services", "controllerrevisions", "events");
  private static final Pattern LINE =
      Pattern.compile("^apiserver_request_total\\{([^}]*)} ([0-9.e+]+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private ApiServerWrites() {}

  /** Total write requests so far, by verb and resource, for Baton's resources. */
  public static Map<String, Long> byVerb(KubernetesClient client) {
    Map<String, Long> counts = new java.util.TreeMap<>();
    for (String line : client.raw("/metrics").split("\n")) {
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Map<String, String> labels = new java.util.HashMap<>();
      Matcher l = LABEL.matcher(m.group(1));
      while (l.find()) {
        labels.put(l.group(1), l.group(2));
      }
      String verb = labels.getOrDefault("verb", "");
      String resource = labels.getOrDefault("resource", "");
      String sub = labels.getOrDefault("subresource", "");
      boolean deploymentStatus = resource.equals("deployments") && !sub.isEmpty();
      if (WRITE_VERBS.contains(verb) && RESOURCES.contains(resource) && !deploymentStatus) {
        String key = verb + " " + resource + (sub.isEmpty() ? "" : "/" + sub);
        counts.merge(key, (long) Double.parseDouble(m.group(2)), Long::sum);
      }
    }
    return counts;
  }
}
