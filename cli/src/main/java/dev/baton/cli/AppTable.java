package dev.baton.cli;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.BatonAppStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The table of {@code kubectl baton list}: NAME, PHASE, ACTIVE, PREVIEW, READY, AGE. */
public final class AppTable {

  private AppTable() {}

  /** Renders the apps sorted by namespace and name; with a NAMESPACE column for {@code -A}. */
  public static String render(List<BatonApp> apps, boolean withNamespace, Instant now) {
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("NAME", "PHASE", "ACTIVE", "PREVIEW", "WEIGHT",
        "READY",
        "AGE"));
    if (withNamespace) {
      header.add(0, "NAMESPACE");
    }
    rows.add(header);
    apps.stream()
        .sorted(Comparator.comparing((BatonApp a) -> a.getMetadata().getNamespace())
            .thenComparing(a -> a.getMetadata().getName()))
        .forEach(app -> {
          BatonAppStatus s = app.getStatus() != null ? app.getStatus() : new BatonAppStatus();
          List<String> row = new ArrayList<>(List.of(app.getMetadata().getName(),
              orDash(s.phase), orDash(s.activeRevision), orDash(s.previewRevision),
              orDash(s.trafficWeight), orDash(s.ready), Age.since(app.getMetadata().getCreationTimestamp(), now)));
          if (withNamespace) {
            row.add(0, app.getMetadata().getNamespace());
          }
          rows.add(row);
        });
    return Columns.format(rows);
  }

  private static String orDash(Object value) {
    return value == null ? "-" : value.toString();
  }
}
