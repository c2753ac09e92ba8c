package dev.baton.planning;

import dev.baton.analysis.Observation;
import dev.baton.analysis.RunKey;
import java.time.Instant;
import java.util.Optional;

/**
 * A Job of a job metric as the caches show it: measurement {@code n} of {@code metric} in
 * {@code run}, and what it says once it finished. The Jobs are the durable record of job
 * measurements: a reconcile reads them again rather than waiting for status.
 *
 * @param name the Job's name
 * @param result Passed or Failed once it finished, empty while it runs
 * @param finishedAt when it finished (its completion or failure time), or now when unknown
 */
public record AnalysisJob(String name, RunKey run, String metric, int n,
    Optional<Observation> result, Instant finishedAt) {}
