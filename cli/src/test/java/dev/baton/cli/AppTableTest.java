package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.Phase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppTableTest {

  private static final Instant NOW = Instant.parse("2026-11-20T10:05:00Z");

  @Test
  void rowsSortedWithDashForMissingValues() {
    BatonApp web = Fixtures.app("shop", "web", Phase.Progressing, 1, 2);
    BatonApp api = Fixtures.app("shop", "api", Phase.Healthy, 4, null);
    BatonApp fresh = Fixtures.app("shop", "fresh", null, null, null);
    fresh.getStatus().ready = null;

    assertThat(AppTable.render(List.of(web, api, fresh), false, NOW)).isEqualTo("""
        NAME    PHASE         ACTIVE   PREVIEW   WEIGHT   READY   AGE
        api     Healthy       4        -         -        3/3     5m
        fresh   -             -        -         -        -       5m
        web     Progressing   1        2         -        3/3     5m
        """);
  }

  @Test
  void allNamespacesAddsANamespaceColumn() {
    String table = AppTable.render(List.of(Fixtures.app("b", "x", Phase.Healthy, 1, null),
        Fixtures.app("a", "y", Phase.Aborted, 2, null)), true, NOW);

    assertThat(table.lines().toList()).containsExactly(
        "NAMESPACE   NAME   PHASE     ACTIVE   PREVIEW   WEIGHT   READY   AGE",
        "a           y      Aborted   2        -         -        3/3     5m",
        "b           x      Healthy   1        -         -        3/3     5m");
  }
}
