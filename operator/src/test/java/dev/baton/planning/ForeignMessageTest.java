package dev.baton.planning;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Messages Kubernetes wrote, made to fit into Baton's. */
class ForeignMessageTest {

  @ParameterizedTest(name = "''{0}'' as a sentence: ''{1}''")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "Job has reached the specified backoff limit | Job has reached the specified backoff limit.",
      "Job was active longer than specified deadline. | Job was active longer than specified"
          + " deadline.",
      "\"  Back-off pulling image \"\"x:1\"\"  \" | Back-off pulling image \"x:1\".",
      "\"panic: boom\n\tat main.go:12\n\" | panic: boom at main.go:12.",
      "0/3 nodes are available: | 0/3 nodes are available.",
      "Is it ready? | Is it ready?",
      "Stop! | Stop!",
      "done... | done."})
  void aSentenceIsTrimmedOnOneLineAndEndsOnce(String message, String sentence) {
    assertThat(ForeignMessage.asSentence(message)).isEqualTo(sentence);
  }

  @ParameterizedTest(name = "''{0}'' as a clause: ''{1}''")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "Route is accepted. | Route is accepted",
      "\" no listener\nmatches \" | no listener matches",
      "Waiting for controller | Waiting for controller"})
  void aClauseHasNoClosingFullStop(String message, String clause) {
    assertThat(ForeignMessage.asClause(message)).isEqualTo(clause);
  }

  @Test
  void nothingGivesNothing() {
    assertThat(ForeignMessage.asSentence(null)).isEmpty();
    assertThat(ForeignMessage.asSentence(" \n ")).isEmpty();
    assertThat(ForeignMessage.asSentence(".")).isEmpty();
    assertThat(ForeignMessage.asClause(null)).isEmpty();
  }
}
