package dev.baton.testcluster;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs Baton's operator in the test JVM for a test class, watching the class' namespace. Register
 * after {@link TestClusterExtension}:
 * {@code @ExtendWith({TestClusterExtension.class, WithOperator.class})}. A test that needs to
 * restart the operator takes a {@link RunningOperator} parameter.
 */
public final class WithOperator implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(WithOperator.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(STORE).put(RunningOperator.class,
        new RunningOperator(TestClusterExtension.clusterOf(context)));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    RunningOperator operator = context.getStore(STORE)
        .remove(RunningOperator.class, RunningOperator.class);
    if (operator != null) {
      operator.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RunningOperator.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    // Stores are hierarchical: the method's context sees what the class' context holds.
    return context.getStore(STORE).get(RunningOperator.class, RunningOperator.class);
  }
}
