package dev.baton.testcluster;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs Baton's operator in the test JVM for a test class, watching the class' namespace. Register
 * after {@link TestClusterExtension}:
 * {@code @ExtendWith({TestClusterExtension.class, WithOperator.class})}.
 */
public final class WithOperator implements BeforeAllCallback, AfterAllCallback {

  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(WithOperator.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(STORE).put(InProcessOperator.class,
        InProcessOperator.start(TestClusterExtension.clusterOf(context)));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    InProcessOperator operator = context.getStore(STORE)
        .remove(InProcessOperator.class, InProcessOperator.class);
    if (operator != null) {
      operator.close();
    }
  }
}
