package io.websockex.adapter.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexClients;
import io.websockex.adapter.actuate.WebsockexEndpoint;
import io.websockex.adapter.actuate.WebsockexHealthContributor;
import io.websockex.adapter.actuate.WebsockexMeters;
import io.websockex.adapter.ratelimit.ConnectRateLimiter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Observability of the websockex clients: the {@code websockex} endpoint, health
 * contributor and Micrometer meters, each only when its library is on the classpath.
 */
@AutoConfiguration(afterName = { "io.websockex.adapter.autoconfigure.WebsockexAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "websockex.enabled", matchIfMissing = true)
public final class WebsockexObservabilityAutoConfiguration {

	// Every client bean (configured ones and any the application defines itself), then
	// those registered at run time: read anew on each call, so that a client registered
	// or removed shows at once.
	static Supplier<Map<String, WebsockexClient>> clientsByName(ObjectProvider<WebsockexClients> registry,
			ObjectProvider<WebsockexClient> clients) {
		return () -> {
			Map<String, WebsockexClient> byName = new LinkedHashMap<>();
			clients.orderedStream().forEach((client) -> byName.putIfAbsent(client.name(), client));
			WebsockexClients all = registry.getIfUnique();
			if (all != null) {
				all.asMap().forEach(byName::putIfAbsent);
			}
			return byName;
		};
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	@ConditionalOnAvailableEndpoint(WebsockexEndpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WebsockexEndpoint websockexEndpoint(ObjectProvider<WebsockexClients> registry,
				ObjectProvider<WebsockexClient> clients) {
			return new WebsockexEndpoint(clientsByName(registry, clients));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthContributor.class)
	@ConditionalOnEnabledHealthIndicator("websockex")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "websockexHealthContributor")
		WebsockexHealthContributor websockexHealthContributor(ObjectProvider<WebsockexClients> registry,
				ObjectProvider<WebsockexClient> clients) {
			return new WebsockexHealthContributor(clientsByName(registry, clients));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WebsockexMeters websockexMeters(ObjectProvider<WebsockexClients> registry,
				ObjectProvider<WebsockexClient> clients, ObjectProvider<WebsockexListenerErrors> listenerErrors) {
			WebsockexListenerErrors errors = listenerErrors.getIfAvailable();
			WebsockexMeters meters = new WebsockexMeters(clientsByName(registry, clients),
					(errors != null) ? errors::count : null);
			// Clients registered or removed at run time gain or lose their meters at
			// once.
			registry.ifUnique((all) -> all.addListener(meters));
			return meters;
		}

		// The shared connect-rate limiter, when websockex.connect-rate.attempts is set.
		@Bean
		@ConditionalOnBean(ConnectRateLimiter.class)
		MeterBinder websockexConnectRateMeters(ConnectRateLimiter connectRate) {
			return (meterRegistry) -> {
				Gauge.builder("websockex.connect-rate.queued", connectRate, ConnectRateLimiter::queued)
					.description("Clients waiting for their turn to attempt a connection")
					.register(meterRegistry);
				FunctionCounter.builder("websockex.connect-rate.granted", connectRate, ConnectRateLimiter::granted)
					.description("Connection attempts let through by the shared limit")
					.register(meterRegistry);
				FunctionCounter.builder("websockex.connect-rate.rejected", connectRate, ConnectRateLimiter::rejected)
					.description("Connection attempts refused because the queue was full")
					.register(meterRegistry);
			};
		}

	}

}
