package dev.baton.testcluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the traffic assertions measured in this JVM (propagation delays, latencies), written to
 * {@code target/traffic-figures.txt} at exit for a person to read; nothing asserts on it.
 */
public final class TrafficFigures {

  private static final Logger LOG = LoggerFactory.getLogger(TrafficFigures.class);
  private static final ConcurrentLinkedQueue<String> LINES = new ConcurrentLinkedQueue<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(TrafficFigures::write, "traffic-figures"));
  }

  private TrafficFigures() {}

  static void record(String what, Duration value) {
    line(what + ": " + value.toMillis() + " ms");
  }

  static void line(String line) {
    LOG.info("traffic: {}", line);
    LINES.add(line);
  }

  private static void write() {
    if (LINES.isEmpty()) {
      return;
    }
    try {
      Path file = Path.of("target", "traffic-figures.txt");
      Files.createDirectories(file.getParent());
      List<String> lines = new ArrayList<>(LINES);
      Files.write(file, lines, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      LOG.warn("could not write target/traffic-figures.txt: {}", e.toString());
    }
  }
}
