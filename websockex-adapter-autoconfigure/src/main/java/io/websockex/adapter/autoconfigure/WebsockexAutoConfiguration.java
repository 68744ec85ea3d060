package io.websockex.adapter.autoconfigure;

import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.ratelimit.ConnectRateLimiter;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of websockex: one managed {@link WebsockexClient} bean per
 * {@code websockex.clients.<name>} entry, started and stopped with the context,
 * {@code @WebsockexListener} methods, and connection events. Off with
 * {@code websockex.enabled=false}.
 */
@AutoConfiguration(after = SslAutoConfiguration.class,
		afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass({ WebsockexClient.class, HttpClient.class })
@ConditionalOnBooleanProperty(name = "websockex.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WebsockexProperties.class)
@Import(WebsockexClientsRegistrar.class)
public final class WebsockexAutoConfiguration {

	@Bean(WebsockexClientsRegistrar.FACTORY_BEAN_NAME)
	WebsockexClientFactory websockexClientFactory(WebsockexProperties properties,
			ObjectProvider<WebsockexClientCustomizer> customizers, ObjectProvider<SslBundles> sslBundles,
			ApplicationEventPublisher publisher, ObjectProvider<ConnectRateLimiter> connectRate) {
		return new WebsockexClientFactory(properties, customizers, sslBundles, publisher, connectRate);
	}

	/**
	 * The connection-attempt limit shared by every client, when
	 * {@code websockex.connect-rate.attempts} is set.
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty("websockex.connect-rate.attempts")
	ConnectRateLimiter websockexConnectRateLimiter(WebsockexProperties properties) {
		WebsockexProperties.ConnectRate connectRate = properties.getConnectRate();
		Integer attempts = connectRate.getAttempts();
		if (attempts == null || attempts < 1) {
			throw new IllegalArgumentException(
					"Invalid websockex configuration: websockex.connect-rate.attempts must be " + "at least 1, was "
							+ attempts + "; remove it to leave connection attempts unlimited");
		}
		if (connectRate.getInterval().isNegative() || connectRate.getInterval().isZero()) {
			throw new IllegalArgumentException("Invalid websockex configuration: websockex.connect-rate.interval must "
					+ "be a positive duration such as 1s, was " + connectRate.getInterval());
		}
		if (connectRate.getMaxQueue() < 0) {
			throw new IllegalArgumentException("Invalid websockex configuration: websockex.connect-rate.max-queue must "
					+ "be 0 or more, was " + connectRate.getMaxQueue());
		}
		return ConnectRateLimiter.of(attempts, connectRate.getInterval(), connectRate.getMaxQueue());
	}

	@Bean
	@ConditionalOnMissingBean
	WebsockexListenerErrors websockexListenerErrors() {
		return new WebsockexListenerErrors();
	}

	// static: a post-processor must not need this configuration class to be created.
	@Bean
	static WebsockexListenerBeanPostProcessor websockexListenerBeanPostProcessor() {
		return new WebsockexListenerBeanPostProcessor();
	}

}
