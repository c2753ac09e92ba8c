package dev.baton.analysis.provider;

import dev.baton.api.v1alpha1.HttpAuthentication;
import dev.baton.api.v1alpha1.HttpHeader;
import dev.baton.api.v1alpha1.MetricProviderSpec;
import dev.baton.api.v1alpha1.SecretKeyRef;
import dev.baton.api.v1alpha1.TlsSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The secret values one measurement needs, read from their Secrets just before it (never cached
 * between measurements). {@link #toString()} shows none of them.
 *
 * @param headers header name to value, for headers whose value comes from a Secret
 */
public record ProviderCredentials(Optional<String> username, Optional<String> password,
    Optional<String> bearerToken, Optional<String> caPem, Map<String, String> headers) {

  /** No credentials. */
  public static final ProviderCredentials NONE = new ProviderCredentials(Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty(), Map.of());

  /** The Secret keys a provider needs, for the caller to read (and to wait on). */
  public static List<SecretKeyRef> needed(MetricProviderSpec provider) {
    List<SecretKeyRef> out = new ArrayList<>();
    HttpAuthentication auth = null;
    TlsSettings tls = null;
    if (provider.prometheus != null) {
      auth = provider.prometheus.authentication;
      tls = provider.prometheus.tls;
    } else if (provider.web != null) {
      auth = provider.web.authentication;
      tls = provider.web.tls;
      for (HttpHeader h : provider.web.headers == null ? List.<HttpHeader>of()
          : provider.web.headers) {
        if (h.valueFrom != null) {
          out.add(h.valueFrom);
        }
      }
    }
    if (auth != null && auth.basic != null) {
      out.add(SecretKeyRef.of(auth.basic.name, orDefault(auth.basic.usernameKey, "username")));
      out.add(SecretKeyRef.of(auth.basic.name, orDefault(auth.basic.passwordKey, "password")));
    }
    if (auth != null && auth.bearerToken != null) {
      out.add(auth.bearerToken);
    }
    if (tls != null && tls.caCertificate != null) {
      out.add(tls.caCertificate);
    }
    return out;
  }

  /**
   * The credentials of {@code provider}, with each Secret key's value from {@code secretValue}.
   *
   * @return empty with the missing key when a Secret or key does not exist (a measurement error)
   */
  public static Result resolve(MetricProviderSpec provider,
      Function<SecretKeyRef, Optional<String>> secretValue) {
    Map<SecretKeyRef, String> values = new HashMap<>();
    for (SecretKeyRef ref : needed(provider)) {
      Optional<String> v = secretValue.apply(ref);
      if (v.isEmpty()) {
        return new Result(Optional.empty(), "Secret '" + ref.name + "' has no key '" + ref.key
            + "' (or does not exist)");
      }
      values.put(ref, v.get());
    }
    HttpAuthentication auth = provider.prometheus != null ? provider.prometheus.authentication
        : provider.web != null ? provider.web.authentication : null;
    TlsSettings tls = provider.prometheus != null ? provider.prometheus.tls
        : provider.web != null ? provider.web.tls : null;
    Optional<String> user = Optional.empty();
    Optional<String> password = Optional.empty();
    Optional<String> token = Optional.empty();
    if (auth != null && auth.basic != null) {
      user = Optional.of(values.get(SecretKeyRef.of(auth.basic.name,
          orDefault(auth.basic.usernameKey, "username"))));
      password = Optional.of(values.get(SecretKeyRef.of(auth.basic.name,
          orDefault(auth.basic.passwordKey, "password"))));
    }
    if (auth != null && auth.bearerToken != null) {
      token = Optional.of(values.get(auth.bearerToken));
    }
    Optional<String> ca = tls != null && tls.caCertificate != null
        ? Optional.of(values.get(tls.caCertificate)) : Optional.empty();
    Map<String, String> headers = new HashMap<>();
    if (provider.web != null && provider.web.headers != null) {
      for (HttpHeader h : provider.web.headers) {
        if (h.valueFrom != null) {
          headers.put(h.name, values.get(h.valueFrom));
        }
      }
    }
    return new Result(Optional.of(new ProviderCredentials(user, password, token, ca,
        Map.copyOf(headers))), "");
  }

  /** Credentials, or why they could not be read. */
  public record Result(Optional<ProviderCredentials> credentials, String problem) {}

  /** Basic authentication with {@code username} and {@code password}. */
  public static ProviderCredentials basic(String username, String password) {
    return new ProviderCredentials(Optional.of(username), Optional.of(password), Optional.empty(),
        Optional.empty(), Map.of());
  }

  /** A bearer token. */
  public static ProviderCredentials bearer(String token) {
    return new ProviderCredentials(Optional.empty(), Optional.empty(), Optional.of(token),
        Optional.empty(), Map.of());
  }

  @Override
  public String toString() {
    return "ProviderCredentials[basic=" + username.isPresent() + ", bearer="
        + bearerToken.isPresent() + ", ca=" + caPem.isPresent() + ", headers="
        + headers.keySet() + "]";
  }

  private static String orDefault(String v, String d) {
    return v == null ? d : v;
  }
}
