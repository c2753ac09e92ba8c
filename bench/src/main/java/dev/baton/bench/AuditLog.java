package dev.baton.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Counts one client's requests in the API server's audit log (hack/cluster.sh with
 * BATON_AUDIT=true: one Metadata event per request, written when it arrives), by verb and, for
 * writes, by resource, within time windows.
 */
final class AuditLog {

  static final Set<String> WRITES = Set.of("create", "update", "patch", "delete", "deletecollection");

  /** A time window's requests: verb to count, and "verb resource[/subresource]" for writes. */
  record Counts(Map<String, Long> byVerb, Map<String, Long> writesByResource) {
    long writes() {
      return byVerb.entrySet().stream().filter(e -> WRITES.contains(e.getKey()))
          .mapToLong(Map.Entry::getValue).sum();
    }

    long reads() {
      return byVerb.values().stream().mapToLong(Long::longValue).sum() - writes();
    }
  }

  /** A named span of the run. */
  record Window(String name, Instant from, Instant to) {
    double minutes() {
      return java.time.Duration.between(from, to).toMillis() / 60_000.0;
    }
  }

  private AuditLog() {}

  /** Counts the requests whose user agent starts with the prefix, per window. */
  static Map<String, Counts> count(Path log, String userAgentPrefix, List<Window> windows) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, Counts> out = new TreeMap<>();
    for (Window w : windows) {
      out.put(w.name(), new Counts(new TreeMap<>(), new TreeMap<>()));
    }
    String needle = "\"userAgent\":\"" + userAgentPrefix;
    for (Path file : withRotated(log)) {
      try (BufferedReader in = Files.newBufferedReader(file)) {
        for (String line; (line = in.readLine()) != null; ) {
          if (!line.contains(needle)) {
            continue;
          }
          JsonNode e = json.readTree(line);
          Instant at = Instant.parse(e.path("requestReceivedTimestamp").asText());
          String verb = e.path("verb").asText();
          JsonNode ref = e.path("objectRef");
          String resource = ref.path("resource").asText("?")
              + (ref.hasNonNull("subresource") ? "/" + ref.path("subresource").asText() : "");
          for (Window w : windows) {
            if (!at.isBefore(w.from()) && at.isBefore(w.to())) {
              Counts c = out.get(w.name());
              c.byVerb().merge(verb, 1L, Long::sum);
              if (WRITES.contains(verb)) {
                c.writesByResource().merge(verb + " " + resource, 1L, Long::sum);
              }
            }
          }
        }
      }
    }
    return out;
  }

  /**
   * The log and the files the API server rotated it into ({@code audit-<time>.log} beside
   * {@code audit.log}, at its default 100 MB): a 1,000-app run writes more than one file.
   */
  static List<Path> withRotated(Path log) throws IOException {
    String name = log.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String base = dot < 0 ? name : name.substring(0, dot);
    String ext = dot < 0 ? "" : name.substring(dot);
    List<Path> files = new java.util.ArrayList<>();
    Path dir = log.toAbsolutePath().getParent();
    try (var siblings = Files.list(dir)) {
      siblings.filter(f -> {
        String n = f.getFileName().toString();
        return n.startsWith(base + "-") && n.endsWith(ext);
      }).sorted().forEach(files::add);
    }
    files.add(log);
    return files;
  }
}
