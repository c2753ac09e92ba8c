package dev.baton.render;

import dev.baton.analysis.provider.job.JobMeasurements;
import dev.baton.planning.AnalysisPlan;
import dev.baton.planning.AppSettings;
import dev.baton.planning.DatabaseTopology;
import dev.baton.planning.DesiredObjects;
import dev.baton.planning.DesiredVersion;
import dev.baton.planning.Labels;
import dev.baton.planning.MigrationJob;
import dev.baton.planning.MigrationJobs;
import dev.baton.planning.MigrationPlanner;
import dev.baton.planning.Plan;
import dev.baton.planning.Snapshot;
import dev.baton.render.Rendering.Mode;
import dev.baton.render.Rendering.Removal;
import dev.baton.render.Rendering.Stage;
import dev.baton.render.Rendering.Wave;
import dev.baton.render.Rendering.Write;
import dev.baton.traffic.TrafficProviders;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Renders a plan into every child object the app should have, in ordered waves, and the
 * Baton-labelled objects of the app the render no longer contains. Pure: the caches' view of the
 * children comes in as {@link AppChildren}.
 *
 * <p>The waves, in order (an empty one is left out):
 *
 * <table>
 *   <tr><th>wave</th><th>objects</th><th>why there</th></tr>
 *   <tr><td>{@link Stage#SWITCH}</td><td>preview, then active Service</td><td>only when the plan
 *       moves traffic: the planner switches only to a version already serving at full size, so
 *       nothing the switch needs waits on a Deployment write</td></tr>
 *   <tr><td>{@link Stage#VERSIONS}</td><td>the kept Deployments</td><td>a Deployment that goes is
 *       never written (the plan keeps or deletes, never both)</td></tr>
 *   <tr><td>{@link Stage#SERVICES}</td><td>preview, then active Service</td><td>when the plan
 *       does not switch; preview first, as during a rollout it moves before the active one</td></tr>
 *   <tr><td>{@link Stage#TRAFFIC}</td><td>the provider's objects at the plan's weight</td><td></td></tr>
 *   <tr><td>{@link Stage#DATA_TIER}</td><td>role Services, EndpointSlices of IP endpoints</td><td></td></tr>
 *   <tr><td>{@link Stage#REVISIONS}</td><td>ControllerRevisions not yet stored</td><td>a revision
 *       is written once, only when absent</td></tr>
 *   <tr><td>{@link Stage#ANALYSIS_JOBS}</td><td>Jobs of job measurements due</td><td>created
 *       once, by name</td></tr>
 * </table>
 *
 * Removals, after the last wave: the objects of providers the plan says go
 * ({@code traffic().remove()}, once the current provider's are confirmed), stale role Services and
 * Baton's EndpointSlices, dropped revisions, analysis Jobs of runs status no longer keeps, and
 * retired Deployments last.
 */
public final class Renderer {

  private Renderer() {}

  /** The children of a plan; nothing when the plan holds them (a spec Baton cannot act on). */
  public static Rendering children(Snapshot snapshot, Plan plan, OwnerReference owner,
      AppChildren existing) {
    if (plan.holdChildren()) {
      return Rendering.NOTHING;
    }
    AppSettings app = snapshot.app();
    List<Wave> waves = new ArrayList<>();
    List<Write> services = services(app, owner, plan);
    boolean switching = plan.switchesTraffic();
    if (switching) {
      add(waves, Stage.SWITCH, services);
    }
    add(waves, Stage.VERSIONS, deployments(snapshot, plan, owner, existing));
    if (!switching) {
      add(waves, Stage.SERVICES, services);
    }
    add(waves, Stage.TRAFFIC, TrafficProviders.of(app.provider())
        .map(p -> p.desired(app, owner, plan.traffic().weight(), existing.trafficOf(p.provider())))
        .orElse(List.of()).stream().map(o -> new Write(o, Mode.APPLY_GUARDED)).toList());
    List<HasMetadata> dataTier = DatabaseTopology.objects(app, owner);
    add(waves, Stage.DATA_TIER, dataTier.stream().map(Renderer::apply).toList());
    add(waves, Stage.REVISIONS, plan.storeRevisions().stream()
        .filter(r -> existing.revision(DesiredObjects.revisionName(app.name(), r.hash())).isEmpty())
        .map(r -> apply(DesiredObjects.controllerRevision(app, owner, r))).toList());
    add(waves, Stage.ANALYSIS_JOBS, analysisJobs(app, owner, plan.analysis(), existing));

    List<Removal> removals = new ArrayList<>();
    for (var provider : plan.traffic().remove()) {
      existing.trafficOf(provider).forEach(o -> removals.add(new Removal(o, false)));
    }
    removals.addAll(staleDataTier(app, dataTier, existing));
    for (String hash : plan.deleteRevisions()) {
      existing.revision(DesiredObjects.revisionName(app.name(), hash))
          .ifPresent(r -> removals.add(new Removal(r, false)));
    }
    removals.addAll(jobRemovals(plan.analysis().deleteJobs(), existing));
    for (String hash : plan.deleteVersions()) {
      existing.deployment(DesiredObjects.deploymentName(app.name(), hash))
          .ifPresent(d -> removals.add(new Removal(d, false)));
    }
    return new Rendering(waves, removals);
  }

  /**
   * The migration Jobs a decision asks for, and those it drops. Their own rendering, because they
   * are written before the status record (status.migrations lists a Job as started only once it
   * exists), while the other children are written after it.
   */
  public static Rendering migrationJobs(AppSettings app, OwnerReference owner,
      MigrationPlanner.Decision decision, AppChildren existing) {
    if (decision.plan().holdChildren()) {
      return Rendering.NOTHING;
    }
    List<Wave> waves = new ArrayList<>();
    List<Write> jobs = new ArrayList<>();
    for (MigrationJob job : decision.create()) {
      if (existing.job(job.name()).isEmpty()) {
        jobs.add(new Write(MigrationJobs.desired(app, owner, job), Mode.CREATE));
      }
    }
    add(waves, Stage.MIGRATION_JOBS, jobs);
    return new Rendering(waves, jobRemovals(decision.delete(), existing));
  }

  /** Preview first: during a rollout it moves to the new version before the active one does. */
  private static List<Write> services(AppSettings app, OwnerReference owner, Plan plan) {
    List<Write> services = new ArrayList<>();
    plan.previewHash().ifPresent(hash ->
        services.add(apply(DesiredObjects.previewService(app, owner, hash))));
    plan.activeHash().ifPresent(hash -> services.add(apply(
        DesiredObjects.activeService(app, owner, hash, plan.traffic().wide()))));
    return services;
  }

  /**
   * The Deployments of the kept versions. Each gets the template it was first applied with (the
   * target's or the history's); when neither has it (the rolling Deployment keeps its current
   * template, or the history dropped the revision) the cached Deployment's own, and a version
   * with no template anywhere is not written at all.
   */
  private static List<Write> deployments(Snapshot snapshot, Plan plan, OwnerReference owner,
      AppChildren existing) {
    AppSettings app = snapshot.app();
    List<Write> writes = new ArrayList<>();
    for (DesiredVersion v : plan.versions()) {
      Optional<PodTemplateSpec> template = DesiredObjects.templateOf(v, plan.target(),
              snapshot.stored())
          .or(() -> existing.deployment(DesiredObjects.deploymentName(app.name(), v.hash()))
              .map(d -> d.getSpec().getTemplate()));
      template.ifPresent(t -> writes.add(apply(DesiredObjects.deployment(app, owner, v, t))));
    }
    return writes;
  }

  /** Job measurements due whose Job does not exist yet: each is created once, by name. */
  private static List<Write> analysisJobs(AppSettings app, OwnerReference owner,
      AnalysisPlan analysis, AppChildren existing) {
    List<Write> jobs = new ArrayList<>();
    for (AnalysisPlan.JobMeasurement j : analysis.startJobs()) {
      Job desired = JobMeasurements.desiredJob(app.name(), app.namespace(), j.run(), j.metric(),
          j.n());
      desired.getMetadata().setOwnerReferences(List.of(owner));
      if (existing.job(desired.getMetadata().getName()).isEmpty()) {
        jobs.add(new Write(desired, Mode.CREATE));
      }
    }
    return jobs;
  }

  /**
   * Role Services of roles no longer in the spec, and the EndpointSlices Baton wrote that the
   * spec no longer asks for. Only Baton's slices ({@link AppChildren#slices}): never the
   * controller's slices of the app's Services, which carry the same app label.
   */
  private static List<Removal> staleDataTier(AppSettings app, List<HasMetadata> wanted,
      AppChildren existing) {
    Set<String> names = new HashSet<>();
    wanted.forEach(o -> names.add(o.getMetadata().getName()));
    List<Removal> removals = new ArrayList<>();
    existing.services().stream()
        .filter(s -> label(s, Labels.ROLE) != null
            && DatabaseTopology.ROLES.contains(label(s, Labels.ROLE)))
        .filter(s -> !names.contains(s.getMetadata().getName()))
        .forEach(s -> removals.add(new Removal(s, false)));
    existing.slices().stream()
        .filter(s -> app.name().equals(label(s, Labels.APP))
            && DatabaseTopology.SLICE_MANAGER.equals(label(s, DatabaseTopology.SLICE_MANAGED_BY)))
        .filter(s -> !names.contains(s.getMetadata().getName()))
        .forEach(s -> removals.add(new Removal(s, false)));
    return removals;
  }

  /** Jobs go with their pods, in the background. */
  private static List<Removal> jobRemovals(List<String> names, AppChildren existing) {
    List<Removal> removals = new ArrayList<>();
    names.forEach(name -> existing.job(name).ifPresent(j -> removals.add(new Removal(j, true))));
    return removals;
  }

  private static Write apply(HasMetadata object) {
    return new Write(object, Mode.APPLY);
  }

  private static void add(List<Wave> waves, Stage stage, List<Write> writes) {
    if (!writes.isEmpty()) {
      waves.add(new Wave(stage, writes));
    }
  }

  private static String label(HasMetadata object, String key) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }
}
