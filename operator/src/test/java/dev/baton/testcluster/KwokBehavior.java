package dev.baton.testcluster;

/**
 * The test controls of the test cluster's KWOK Stages (see {@code hack/kwok/README.md}): a label
 * on a pod template picks how KWOK plays its pods.
 */
public final class KwokBehavior {

  /** The label whose value picks the behaviour. */
  public static final String LABEL = "test.baton.dev/behavior";
  /** The annotation giving {@link #UNREADY_AFTER}'s delay as a Go duration, e.g. {@code 5s}. */
  public static final String UNREADY_AFTER_ANNOTATION = "test.baton.dev/unready-after";

  /** Running, but never Ready. */
  public static final String NEVER_READY = "never-ready";
  /** Ready, then not Ready after the annotation's delay. */
  public static final String UNREADY_AFTER = "unready-after";
  /** Running, not Ready, restarting in CrashLoopBackOff. */
  public static final String CRASH_LOOP = "crash-loop";
  /** A Job pod that fails instead of completing. */
  public static final String JOB_FAIL = "job-fail";

  private KwokBehavior() {}
}
