package io.websockex.adapter.autoconfigure;

import java.util.function.UnaryOperator;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.websockex.adapter.internal.client.HttpClientCustomizers;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;

/**
 * Applies a Spring Boot SSL bundle ({@code ssl.bundle}) to a client's Reactor Netty
 * {@link HttpClient}: the bundle's trust managers decide which servers are trusted, its
 * key managers supply the client certificate, and its options restrict ciphers and
 * protocols.
 */
final class SslBundleTls {

	private SslBundleTls() {
	}

	/**
	 * Resolve the bundle and build the TLS context now, so that a missing or broken
	 * bundle fails start-up rather than the first connection.
	 * @param clientName the client's name
	 * @param bundleName the bundle's name
	 * @param sslBundles the registry, or {@code null} when Spring Boot's SSL support is
	 * not configured
	 * @return the customizer applying the bundle
	 */
	static UnaryOperator<HttpClient> of(String clientName, String bundleName, @Nullable SslBundles sslBundles) {
		if (sslBundles == null) {
			throw new WebsockexConfigurationException(clientName, "ssl.bundle",
					"names SSL bundle '" + bundleName + "', but there is no SslBundles bean",
					"Define the bundle under spring.ssl.bundle.jks." + bundleName + " or spring.ssl.bundle.pem."
							+ bundleName + " and keep Spring Boot's SslAutoConfiguration enabled.",
					null);
		}
		SslBundle bundle;
		try {
			bundle = sslBundles.getBundle(bundleName);
		}
		catch (NoSuchSslBundleException ex) {
			throw new WebsockexConfigurationException(clientName, "ssl.bundle",
					"names SSL bundle '" + bundleName + "', which does not exist; known bundles: "
							+ sslBundles.getBundleNames(),
					"Define the bundle under spring.ssl.bundle.jks." + bundleName + " or spring.ssl.bundle.pem."
							+ bundleName + ", or set websockex.clients." + clientName
							+ ".ssl.bundle to one of the known bundles.",
					ex);
		}
		SslContext context = sslContext(clientName, bundleName, bundle);
		return HttpClientCustomizers.tls(context);
	}

	private static SslContext sslContext(String clientName, String bundleName, SslBundle bundle) {
		SslOptions options = bundle.getOptions();
		try {
			return SslContextBuilder.forClient()
				.keyManager(bundle.getManagers().getKeyManagerFactory())
				.trustManager(bundle.getManagers().getTrustManagerFactory())
				.ciphers(SslOptions.asSet(options.getCiphers()))
				.protocols(options.getEnabledProtocols())
				.build();
		}
		catch (SSLException | RuntimeException ex) {
			throw new WebsockexConfigurationException(clientName, "ssl.bundle",
					"names SSL bundle '" + bundleName + "', which cannot be used for a TLS client: " + ex.getMessage(),
					"Check the stores, key and options of spring.ssl.bundle.*." + bundleName + ".", ex);
		}
	}

}
