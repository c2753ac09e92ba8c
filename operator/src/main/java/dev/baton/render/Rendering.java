package dev.baton.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;

/**
 * What the applier writes, in order: waves of objects, then the objects that go. The applier
 * writes each wave before the next and deletes only after the last one, so a new provider's
 * objects are in place before the old ones go, and a retired Deployment goes after everything that
 * routes traffic away from it is written.
 *
 * @param waves the writes, in order; no wave is empty
 * @param removals the Baton-labelled objects of the app the render no longer contains, in order
 */
public record Rendering(List<Wave> waves, List<Removal> removals) {

  /** Nothing to write and nothing to delete (a held plan). */
  public static final Rendering NOTHING = new Rendering(List.of(), List.of());

  public Rendering {
    waves = List.copyOf(waves);
    removals = List.copyOf(removals);
  }

  /** Why a wave is where it is. */
  public enum Stage {
    /**
     * The Services, first, when the plan moves traffic: nothing the switch needs waits (a
     * reconcile that moves the active Service writes this wave before its Events and status).
     */
    SWITCH,
    /** The Deployments of the versions the plan keeps. */
    VERSIONS,
    /** The Services, after the Deployments, when the plan does not move traffic. */
    SERVICES,
    /** The ingress or route objects of the app's provider. */
    TRAFFIC,
    /** The role Services of the data tier and the EndpointSlices of IP endpoints. */
    DATA_TIER,
    /** The ControllerRevisions that keep new revisions' templates for undo. */
    REVISIONS,
    /** Analysis Jobs of measurements now due. */
    ANALYSIS_JOBS,
    /** Migration Jobs; written before the status record, so they get a rendering of their own. */
    MIGRATION_JOBS
  }

  /** How an object is written. */
  public enum Mode {
    /** Server-side apply under Baton's field manager, skipped when the cache shows the same. */
    APPLY,
    /**
     * As {@link #APPLY}, for an object carrying the stored resourceVersion (lists merged with what
     * others added): a conflict means it changed since the cache saw it, and the watch brings the
     * new version and another reconcile, so the write is simply left to that one.
     */
    APPLY_GUARDED,
    /**
     * Created once, by name, never applied or updated (a Job's template is immutable and a second
     * run is what must not happen); a conflict means it exists already.
     */
    CREATE
  }

  /**
   * One wave of writes.
   *
   * @param stage what the wave holds
   * @param writes its objects, written in this order
   */
  public record Wave(Stage stage, List<Write> writes) {
    public Wave {
      writes = List.copyOf(writes);
    }
  }

  /**
   * One object to write.
   *
   * @param object the object as Baton writes it
   * @param mode how
   */
  public record Write(HasMetadata object, Mode mode) {}

  /**
   * One object to delete.
   *
   * @param object the object as the cache holds it
   * @param background delete its dependents in the background (a Job's pods), rather than by the
   *     API server's default for the kind
   */
  public record Removal(HasMetadata object, boolean background) {}

  /** The waves of one stage, and nothing to delete: written on their own, ahead of the rest. */
  public Rendering only(Stage stage) {
    return new Rendering(waves.stream().filter(w -> w.stage() == stage).toList(), List.of());
  }

  /** This rendering without the waves of one stage (written already, by {@link #only}). */
  public Rendering without(Stage stage) {
    return new Rendering(waves.stream().filter(w -> w.stage() != stage).toList(), removals);
  }

  /** Every object written, in order: for tests and logs. */
  public List<HasMetadata> written() {
    return waves.stream().flatMap(w -> w.writes().stream()).map(Write::object).toList();
  }

  /** Every object deleted, in order. */
  public List<HasMetadata> removed() {
    return removals.stream().map(Removal::object).toList();
  }
}
