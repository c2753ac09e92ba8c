package dev.baton.analysis;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.Map;

/**
 * A CEL expression over {@code result} (a double) that yields a bool: compiled and type-checked
 * once, when the analysis is resolved, then evaluated per measurement.
 */
public final class CelCondition {

  /** A condition that compiled but could not be evaluated (e.g. a division by zero). */
  public static final class EvaluationException extends RuntimeException {
    EvaluationException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
      .addVar("result", SimpleType.DOUBLE)
      .setResultType(SimpleType.BOOL)
      .build();
  private static final CelRuntime RUNTIME =
      CelRuntimeFactory.standardCelRuntimeBuilder().build();
  /**
   * Compiled programs by expression: every reconcile of every app re-validates and resolves its
   * analyses, and compiling is the costly part. A program is immutable and thread-safe.
   */
  private static final BoundedCache<String, CelRuntime.Program> PROGRAMS = new BoundedCache<>(1024);

  private final String expression;
  private final CelRuntime.Program program;

  private CelCondition(String expression, CelRuntime.Program program) {
    this.expression = expression;
    this.program = program;
  }

  /**
   * Compiles {@code expression}.
   *
   * @param field the field it comes from, for the message
   * @throws InvalidAnalysisException when it does not parse, type-check as a bool, or plan
   */
  public static CelCondition compile(String field, String expression) {
    try {
      return new CelCondition(expression, PROGRAMS.get(expression, CelCondition::program));
    } catch (ProgramException e) {
      throw new InvalidAnalysisException(field + " '" + expression + "' " + e.getMessage());
    }
  }

  /** Compiles and plans one expression (the cache's loader: a failure is not kept). */
  private static CelRuntime.Program program(String expression) {
    try {
      CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
      return RUNTIME.createProgram(ast);
    } catch (CelValidationException e) {
      throw new ProgramException("does not compile: " + firstLine(e.getMessage()));
    } catch (CelEvaluationException e) {
      throw new ProgramException("cannot be planned: " + firstLine(e.getMessage()));
    }
  }

  /** Why an expression has no program (the field is added by {@link #compile}). */
  private static final class ProgramException extends RuntimeException {
    ProgramException(String message) {
      super(message);
    }
  }

  /** Whether {@code other} runs the very same compiled program (the cache's tests). */
  boolean sharesProgramWith(CelCondition other) {
    return program == other.program;
  }

  /** Whether it holds for {@code result}. */
  public boolean holds(double result) {
    try {
      Object out = program.eval(Map.of("result", result));
      if (out instanceof Boolean b) {
        return b;
      }
      throw new EvaluationException(expression + " gave " + out + ", not a bool", null);
    } catch (CelEvaluationException e) {
      throw new EvaluationException(expression + ": " + firstLine(e.getMessage()), e);
    }
  }

  /** The expression's text. */
  public String expression() {
    return expression;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
