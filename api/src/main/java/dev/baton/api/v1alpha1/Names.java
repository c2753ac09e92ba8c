package dev.baton.api.v1alpha1;

/**
 * Patterns of the Kubernetes object names a spec may give, so that the API server rejects a name
 * Baton could not look up (a slash, say, that would step out of the app's namespace in a URL).
 */
final class Names {

  /** A DNS subdomain (RFC 1123), the form of a Secret's, ConfigMap's or Gateway's name. */
  static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /** A DNS label (RFC 1123), the form of a namespace's name. */
  static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  private Names() {}
}
