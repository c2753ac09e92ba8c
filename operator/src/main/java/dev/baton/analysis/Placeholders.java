package dev.baton.analysis;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code {{args.NAME}}} and {@code {{baton.NAME}}} in a text. A name it does not know is
 * an {@link InvalidAnalysisException}: an unresolved placeholder must never reach a provider,
 * where it would be an opaque query error (or, worse, a query that matches nothing and looks
 * like "no data").
 */
public final class Placeholders {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.]+)\\s*}}");

  private Placeholders() {}

  /** {@code text} with every placeholder replaced by its value in {@code values}. */
  public static String substitute(String text, Map<String, String> values) {
    if (text == null || !text.contains("{{")) {
      return text;
    }
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new InvalidAnalysisException("{{" + m.group(1) + "}} is not "
            + (m.group(1).startsWith("args.") ? "an argument with a value" : "a known variable")
            + " (known: " + String.join(", ", new java.util.TreeSet<>(values.keySet())) + ")");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    if (out.indexOf("{{") >= 0) {
      throw new InvalidAnalysisException("'" + text + "' has a malformed {{...}} placeholder");
    }
    return out.toString();
  }
}
