package dev.baton.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Argo CD health check of the chart ({@code helm/baton/argocd/health.lua}) against BatonApp
 * fixtures named {@code <ExpectedStatus>--<case>.json}, in gopher-lua with the libraries Argo CD
 * opens (see {@link ArgoCdHealth}).
 */
class ArgoCdHealthTest {

  private static final String SCRIPT = ArgoCdHealth.SCRIPT;
  private static final String FIXTURES = "operator/src/test/resources/argocd-health";
  private static final List<String> STATUSES =
      List.of("Healthy", "Progressing", "Suspended", "Degraded");

  static Stream<Path> fixtures() throws IOException {
    try (Stream<Path> files = Files.list(repoRoot().resolve(FIXTURES))) {
      List<Path> list = files.filter(f -> f.getFileName().toString().endsWith(".json"))
          .sorted().toList();
      assertThat(list).as("fixtures in " + FIXTURES).isNotEmpty();
      return list.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void mapsBatonAppToArgoCdHealth(Path fixture) throws Exception {
    String name = fixture.getFileName().toString();
    assertThat(name).as("fixture name <ExpectedStatus>--<case>.json").contains("--");
    String expected = name.substring(0, name.indexOf("--"));
    assertThat(STATUSES).as("expected status in " + name).contains(expected);

    ArgoCdHealth.Result hs = ArgoCdHealth.evaluate(script(),
        Files.readString(fixture, StandardCharsets.UTF_8));

    assertThat(hs.status()).as("hs.status for " + name + " (message: " + hs.message() + ")")
        .isEqualTo(expected);
    assertThat(hs.message()).as("hs.message for " + name).isNotBlank().isNotEqualTo("nil");
  }

  @Test
  void messageNamesTheGenerationNotYetObserved() throws Exception {
    ArgoCdHealth.Result hs = ArgoCdHealth.evaluate(script(), """
        {"apiVersion": "baton.dev/v1alpha1", "kind": "BatonApp",
         "metadata": {"name": "web", "generation": 4},
         "status": {"observedGeneration": 3, "phase": "Healthy"}}""");
    assertThat(hs).isEqualTo(new ArgoCdHealth.Result("Progressing",
        "Waiting for Baton to observe generation 4"));
  }

  @Test
  void survivesMissingFields() throws Exception {
    for (String json : List.of("{}", "{\"status\": {}}",
        "{\"status\": {\"observedGeneration\": 1}}",
        "{\"metadata\": {\"generation\": 1}, \"status\": {\"observedGeneration\": 1, "
            + "\"conditions\": [{}, {\"type\": \"InvalidSpec\"}]}}",
        "{\"metadata\": {\"generation\": 1}, \"status\": {\"observedGeneration\": 1, "
            + "\"phase\": \"Degraded\", \"activeRevision\": 2, \"previewRevision\": 3}}")) {
      ArgoCdHealth.Result hs = ArgoCdHealth.evaluate(script(), json);
      assertThat(STATUSES).as("status for " + json).contains(hs.status());
      assertThat(hs.message()).as("message for " + json).isNotBlank().isNotEqualTo("nil");
    }
  }

  @Test
  void fallsBackToRevisionsWithoutMessages() throws Exception {
    ArgoCdHealth.Result hs = ArgoCdHealth.evaluate(script(), """
        {"metadata": {"generation": 2},
         "status": {"observedGeneration": 2, "phase": "Progressing",
                    "activeRevision": 2, "previewRevision": 3}}""");
    assertThat(hs).isEqualTo(new ArgoCdHealth.Result("Progressing",
        "Rolling out. Revision 2 serves; revision 3 is being rolled out."));
  }

  @Test
  void runsWithoutTheStringLibrary(@TempDir Path dir) throws Exception {
    Path usesString = dir.resolve("uses-string.lua");
    Files.writeString(usesString,
        "return {status = 'Healthy', message = tostring(string.find('ab', 'b'))}\n");
    // The script fails inside Lua, not for want of the runner.
    assertThatThrownBy(() -> ArgoCdHealth.evaluate(usesString, "{}"))
        .hasMessageContaining("argocd-lua failed").hasMessageContaining("key 'find'");

    Path usesMethod = dir.resolve("uses-method.lua");
    Files.writeString(usesMethod, "return {status = 'Healthy', message = ('ab'):upper()}\n");
    assertThatThrownBy(() -> ArgoCdHealth.evaluate(usesMethod, "{}"))
        .hasMessageContaining("argocd-lua failed")
        .hasMessageContaining("non-table object(string) with key 'upper'");
  }

  @Test
  void opensOnlyTheLibrariesArgoCdOpens(@TempDir Path dir) throws Exception {
    Path probe = dir.resolve("probe.lua");
    Files.writeString(probe, """
        local function has(v) if v == nil then return '-' else return '+' end end
        return {status = 'Healthy',
                message = 'string' .. has(string) .. ' math' .. has(math) .. ' io' .. has(io)
                    .. ' debug' .. has(debug) .. ' table.insert' .. has(table.insert)
                    .. ' os.time' .. has(os.time) .. ' os.exit' .. has(os.exit)
                    .. ' os.getenv' .. has(os.getenv) .. ' require.os.date' .. has(require('os').date)}
        """);
    assertThat(ArgoCdHealth.evaluate(probe, "{}").message()).isEqualTo("string- math- io- debug-"
        + " table.insert+ os.time+ os.exit- os.getenv- require.os.date+");
  }

  @Test
  void unknownStatusBecomesUnknownAsInArgoCd(@TempDir Path dir) throws Exception {
    Path bogus = dir.resolve("bogus.lua");
    Files.writeString(bogus, "return {status = 'Fine', message = 'ok'}\n");
    assertThat(ArgoCdHealth.evaluate(bogus, "{}"))
        .isEqualTo(new ArgoCdHealth.Result("Unknown", "Lua returned an invalid health status"));
  }

  @Test
  void driverPassesStringsNumbersBooleansAndArrays(@TempDir Path dir) throws Exception {
    Path echo = dir.resolve("echo.lua");
    Files.writeString(echo, """
        local m = obj.metadata
        return {status = 'Healthy',
                message = tostring(m.flag) .. ' ' .. tostring(m.absent) .. '|' .. m.name .. '|' .. tostring(m.n + 1) .. '|' .. tostring(#m.list)
                    .. '|' .. m.list[1] .. m.list[3]}
        """);
    ArgoCdHealth.Result hs = ArgoCdHealth.evaluate(echo, """
        {"metadata": {"name": "a\\\\b \\"q\\" \\u0001]]", "n": 41, "flag": true, "absent": null,
                      "list": ["x", "y", "z"]}}""");
    assertThat(hs).isEqualTo(new ArgoCdHealth.Result("Healthy",
        "true nil|a\\b \"q\" \u0001]]|42|3|xz"));
  }

  private static Path script() {
    return repoRoot().resolve(SCRIPT);
  }

  private static Path repoRoot() {
    return ArgoCdHealth.repoRoot();
  }
}
