package dev.baton.analysis.provider;

import dev.baton.analysis.Observation;
import dev.baton.api.v1alpha1.TlsSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The HTTP part the Prometheus and web providers share: the JDK's HttpClient with the TLS
 * settings, the credentials as headers, and every way a request can go wrong as a measurement
 * error whose message names no credential.
 */
public final class ProviderHttp {

  /** A response body, or the error it became. */
  public record Response(int status, String body, Observation.Error error) {
    boolean ok() {
      return error == null;
    }
  }

  private static final HttpClient DEFAULT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private ProviderHttp() {}

  /** Sends {@code request} (without credentials yet) and reads a 2xx body. */
  public static Response send(HttpRequest.Builder request, ProviderCredentials credentials,
      TlsSettings tls, Duration timeout) {
    request.timeout(timeout);
    credentials.bearerToken().ifPresent(t -> request.header("Authorization", "Bearer " + t));
    if (credentials.username().isPresent()) {
      String pair = credentials.username().get() + ":" + credentials.password().orElse("");
      request.header("Authorization", "Basic "
          + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    HttpRequest built = request.build();
    String where = built.method() + " " + redact(built.uri());
    try {
      HttpResponse<String> r = client(tls, credentials).send(built,
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 401 || r.statusCode() == 403) {
        return new Response(r.statusCode(), "", new Observation.Error(where + ": HTTP "
            + r.statusCode() + " (check the provider's credentials)"));
      }
      if (r.statusCode() / 100 != 2) {
        return new Response(r.statusCode(), r.body(), new Observation.Error(where + ": HTTP "
            + r.statusCode() + ": " + abbreviate(r.body())));
      }
      return new Response(r.statusCode(), r.body(), null);
    } catch (HttpTimeoutException e) {
      return new Response(0, "", new Observation.Error(where + ": no answer within "
          + timeout.toSeconds() + "s"));
    } catch (ConnectException e) {
      return new Response(0, "", new Observation.Error(where + ": cannot connect"));
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      return new Response(0, "", new Observation.Error(where + ": " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + abbreviate(e.getMessage()))));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Response(0, "", new Observation.Error(where + ": interrupted"));
    }
  }

  private static HttpClient client(TlsSettings tls, ProviderCredentials credentials)
      throws GeneralSecurityException, IOException {
    boolean insecure = tls != null && Boolean.TRUE.equals(tls.insecureSkipVerify);
    if (!insecure && credentials.caPem().isEmpty()) {
      return DEFAULT;
    }
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, insecure ? new TrustManager[] {new TrustAll()}
        : trusting(credentials.caPem().get()), new SecureRandom());
    return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(ssl).build();
  }

  private static TrustManager[] trusting(String pem)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int i = 0;
    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(
        new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
      store.setCertificateEntry("ca-" + i++, c);
    }
    TrustManagerFactory f = TrustManagerFactory.getInstance(
        TrustManagerFactory.getDefaultAlgorithm());
    f.init(store);
    return f.getTrustManagers();
  }

  /** The URI without user info or query (a query may hold a token; a URL may hold a password). */
  public static String redact(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + uri.getPath();
  }

  public static String abbreviate(String s) {
    String one = s.replaceAll("\\s+", " ").strip();
    return one.length() <= 160 ? one : one.substring(0, 159) + "…";
  }

  /** insecureSkipVerify: accepts any certificate (the field's description warns). */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
