package dev.baton.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * An argument a template declares: its name, its type, and a default. Queries, URLs, headers and
 * Job specs use it as {@code {{args.NAME}}}; an app that uses the template must give a value to
 * every argument without a default.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnalysisArg {

  /** What values an argument accepts. */
  public enum Type {
    /** Any text. */
    string,
    /** A finite number, e.g. a threshold. */
    number
  }

  @Required
  @Pattern("^[A-Za-z][A-Za-z0-9_]{0,62}$")
  @JsonPropertyDescription("The argument's name, used as {{args.NAME}}.")
  public String name;

  @Default("string")
  @JsonPropertyDescription("string or number: a number argument must be given a finite number.")
  public Type type;

  @JsonPropertyDescription("The default value; omitted: the app must give one.")
  public String value;
}
