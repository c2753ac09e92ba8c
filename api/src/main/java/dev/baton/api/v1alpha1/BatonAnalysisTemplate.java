package dev.baton.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Metrics that BatonApps of its namespace run as analysis, by name: a team's thresholds and
 * queries in one place. Read by Baton, never written.
 */
@Group(BatonApp.GROUP)
@Version(BatonApp.VERSION)
@ShortNames("bat")
public class BatonAnalysisTemplate extends CustomResource<AnalysisTemplateSpec, Void>
    implements Namespaced {}
