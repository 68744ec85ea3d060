package io.websockex.adapter.autoconfigure;

import java.util.List;
import java.util.function.UnaryOperator;

import io.websockex.adapter.Config;
import io.websockex.adapter.InvalidConfigException;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexClients;
import io.websockex.adapter.internal.client.HttpClientCustomizers;
import io.websockex.adapter.ratelimit.ConnectRateLimiter;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Makes the beans that {@link WebsockexClientsRegistrar} declares: each client's
 * {@link Config} (its properties over {@code websockex.defaults}, then customizers, then
 * validation) and the client itself (SSL bundle, then customizers of the
 * {@link HttpClient}).
 */
final class WebsockexClientFactory implements WebsockexClients.Factory {

	private final WebsockexProperties properties;

	private final ObjectProvider<WebsockexClientCustomizer> customizers;

	private final ObjectProvider<SslBundles> sslBundles;

	private final ApplicationEventPublisher publisher;

	private final ObjectProvider<ConnectRateLimiter> connectRate;

	WebsockexClientFactory(WebsockexProperties properties, ObjectProvider<WebsockexClientCustomizer> customizers,
			ObjectProvider<SslBundles> sslBundles, ApplicationEventPublisher publisher,
			ObjectProvider<ConnectRateLimiter> connectRate) {
		this.properties = properties;
		this.customizers = customizers;
		this.sslBundles = sslBundles;
		this.publisher = publisher;
		this.connectRate = connectRate;
	}

	/**
	 * The configuration of a client.
	 * @param name the client's name
	 * @return the validated configuration
	 */
	Config config(String name) {
		WebsockexPropertiesMapper mapper = mapper(name);
		Config.Builder builder = mapper.toBuilder();
		builder.connectRate(this.connectRate.getIfUnique());
		this.customizers.orderedStream().forEach((customizer) -> customizer.customize(name, builder));
		return mapper.build(builder);
	}

	/**
	 * A client, not started.
	 * @param name the client's name
	 * @param config its configuration
	 * @return the client, tied to the context's lifecycle
	 */
	WebsockexClientLifecycle client(String name, Config config) {
		WebsockexPropertiesMapper entry = mapper(name);
		UnaryOperator<HttpClient> httpClient = httpClient(name, tls(name, entry.sslBundle()));
		return new WebsockexClientLifecycle(WebsockexClient.create(name, config, httpClient), entry.autoStartup(),
				entry.failFast(), entry.phase(), this.publisher);
	}

	/**
	 * A client registered at run time through {@link WebsockexClients#register}: its
	 * configuration goes through the customizers and takes the shared connect-rate
	 * limiter unless it has one; its {@link HttpClient} goes through the customizers; it
	 * publishes the same events as a configured client.
	 * @param name the client's name
	 * @param config the configuration it was registered with
	 * @return the client, not started
	 */
	@Override
	public WebsockexClient create(String name, Config config) {
		Config.Builder builder = config.toBuilder();
		if (config.connectRate() == null) {
			builder.connectRate(this.connectRate.getIfUnique());
		}
		this.customizers.orderedStream().forEach((customizer) -> customizer.customize(name, builder));
		Config customized;
		try {
			customized = builder.build();
		}
		catch (InvalidConfigException ex) {
			throw WebsockexConfigurationException.of(name, ex);
		}
		UnaryOperator<HttpClient> httpClient = httpClient(name, HttpClientCustomizers.none());
		return new WebsockexClientLifecycle(WebsockexClient.create(name, customized, httpClient), true, false,
				WebsockexProperties.DEFAULT_PHASE, this.publisher);
	}

	// The customizers that adjust the HttpClient, after the TLS of the SSL bundle. With
	// none, the TLS customizer is passed as is: the client then connects without an
	// HttpClient (HttpClientCustomizers).
	private UnaryOperator<HttpClient> httpClient(String name, UnaryOperator<HttpClient> tls) {
		List<WebsockexClientCustomizer> customizers = this.customizers.orderedStream()
			.filter(WebsockexClientFactory::adjustsHttpClient)
			.toList();
		if (customizers.isEmpty()) {
			return tls;
		}
		return (client) -> {
			HttpClient result = tls.apply(client);
			for (WebsockexClientCustomizer customizer : customizers) {
				result = customizer.customize(name, result);
			}
			return result;
		};
	}

	// Whether a customizer overrides customize(String, HttpClient); a lambda adjusts
	// only the Config.
	private static boolean adjustsHttpClient(WebsockexClientCustomizer customizer) {
		try {
			return customizer.getClass()
				.getMethod("customize", String.class, HttpClient.class)
				.getDeclaringClass() != WebsockexClientCustomizer.class;
		}
		catch (NoSuchMethodException ex) {
			return true;
		}
	}

	private UnaryOperator<HttpClient> tls(String name, @Nullable String bundle) {
		if (bundle == null || bundle.isBlank()) {
			return HttpClientCustomizers.none();
		}
		return SslBundleTls.of(name, bundle.trim(), this.sslBundles.getIfAvailable());
	}

	private WebsockexPropertiesMapper mapper(String name) {
		return new WebsockexPropertiesMapper(name, this.properties);
	}

}
