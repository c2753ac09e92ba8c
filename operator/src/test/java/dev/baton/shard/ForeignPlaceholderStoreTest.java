package dev.baton.shard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.BatonAppSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForeignPlaceholderStoreTest {

  private static BatonApp app(String name, String shard) {
    BatonApp app = new BatonApp();
    app.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("shop")
        .withResourceVersion("7").withLabels(Map.of(ShardAssignment.LABEL, shard)).build());
    app.setSpec(new BatonAppSpec());
    return app;
  }

  @Test
  void keepsItsOwnAppsWholeAndOthersAsPlaceholders() {
    ShardScope scope = new ShardScope(1, 2);
    var store = ForeignPlaceholderStore.<BatonApp>of(scope::owns, BatonApp::new);
    store.put("shop/mine", app("mine", "1"));
    store.put("shop/theirs", app("theirs", "0"));

    assertThat(store.get("shop/mine").getSpec()).isNotNull();
    BatonApp placeholder = store.get("shop/theirs");
    assertThat(placeholder.getSpec()).isNull();
    assertThat(placeholder.getMetadata().getName()).isEqualTo("theirs");
    assertThat(placeholder.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(scope.owns(placeholder)).isFalse();
    assertThat(store.size()).isEqualTo(2);
  }

  @Test
  void anAppThatMovesInIsKeptWholeFromItsNextEvent() {
    var store = ForeignPlaceholderStore.<BatonApp>of(new ShardScope(1, 2)::owns, BatonApp::new);
    store.put("shop/api", app("api", "0"));
    store.put("shop/api", app("api", "1"));
    assertThat(store.get("shop/api").getSpec()).isNotNull();
  }

  @Test
  void childSelectorsNameTheShardOnlyWhenSharded() {
    assertThat(ShardScope.whole().childSelector("baton.dev/app")).isEqualTo("baton.dev/app");
    assertThat(new ShardScope(3, 4).childSelector("baton.dev/app"))
        .isEqualTo("baton.dev/app,baton.dev/shard=3");
  }
}
