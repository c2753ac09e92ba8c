package dev.baton.planning;

/**
 * Makes a message that Kubernetes wrote (a Job's, pod's or Deployment's condition, a container
 * state, a route's status, an API error) fit into a message of Baton's. Kubernetes writes them as
 * bare phrases ("Job has reached the specified backoff limit"), some with a full stop, some on
 * several lines; joined as they are, the next sentence of ours runs into them.
 */
public final class ForeignMessage {

  private ForeignMessage() {}

  /**
   * The message as a sentence that another may follow: trimmed, whitespace (line breaks too)
   * collapsed to single spaces, and ending in a full stop unless it ends in one of {@code .!?}
   * already (a trailing {@code ,;:} gives way to it). Empty for a null or blank message.
   */
  public static String asSentence(String message) {
    String text = asClause(message);
    return text.isEmpty() || text.endsWith("!") || text.endsWith("?") ? text : text + ".";
  }

  /**
   * The message as a part of one of Baton's sentences (in parentheses, after a colon): as
   * {@link #asSentence} but without a closing full stop (nor a trailing {@code ,;:}), so that
   * the sentence it goes into ends just once. Empty for a null or blank message.
   */
  public static String asClause(String message) {
    if (message == null) {
      return "";
    }
    String text = message.strip().replaceAll("\\s+", " ");
    int end = text.length();
    while (end > 0 && ".,;:".indexOf(text.charAt(end - 1)) >= 0) {
      end--;
    }
    return text.substring(0, end);
  }
}
