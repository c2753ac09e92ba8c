package dev.baton.api.v1alpha1;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Metrics that any BatonApp may run as analysis (with {@code clusterScope: true}): a platform
 * team's thresholds and provider settings. Its Secrets are read in the app's namespace.
 */
@Group(BatonApp.GROUP)
@Version(BatonApp.VERSION)
@ShortNames("cbat")
public class ClusterBatonAnalysisTemplate extends CustomResource<AnalysisTemplateSpec, Void> {}
