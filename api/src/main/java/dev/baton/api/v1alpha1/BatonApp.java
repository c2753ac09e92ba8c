package dev.baton.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An application that Baton ships with zero downtime: its pod template, size, Service and release
 * strategy. Baton runs the live (active) version and, during a rollout, the next (preview) one.
 */
@Group(BatonApp.GROUP)
@Version(BatonApp.VERSION)
@ShortNames("bapp")
@AdditionalPrinterColumn(name = "Phase", priority = 0, jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Active", jsonPath = ".status.activeRevision", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Preview", jsonPath = ".status.previewRevision", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Weight", jsonPath = ".status.trafficWeight", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.ready", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class BatonApp extends CustomResource<BatonAppSpec, BatonAppStatus> implements Namespaced {

  public static final String GROUP = "baton.dev";
  public static final String VERSION = "v1alpha1";
}
