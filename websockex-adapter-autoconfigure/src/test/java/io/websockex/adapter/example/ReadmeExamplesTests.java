package io.websockex.adapter.example;

import java.time.Duration;
import java.util.Map;

import io.websockex.adapter.Config;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.autoconfigure.WebsockexAutoConfiguration;
import io.websockex.adapter.autoconfigure.WebsockexClientCustomizer;
import io.websockex.adapter.platform.Platforms;
import io.websockex.adapter.ratelimit.CostFunctions;
import io.websockex.adapter.ratelimit.RateLimit;
import io.websockex.adapter.test.WebsockexTestServer;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Spring and configuration snippets, compiled and run as written.
 */
class ReadmeExamplesTests {

	@Test
	void theQuickStartServiceAndCustomizersWork() {
		try (WebsockexTestServer server = WebsockexTestServer.deribit()) {
			server.onRequest("public/get_time").reply("1700000000000");
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(WebsockexAutoConfiguration.class))
				.withUserConfiguration(App.class)
				.withPropertyValues("websockex.clients.deribit.url=" + server.url(),
						"websockex.clients.deribit.platform=deribit")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					Config config = context.getBean("deribitWebsockexConfig", Config.class);
					assertThat(config.retryDelay()).isEqualTo(Duration.ofSeconds(5));
					WebsockexClient client = context.getBean("deribitWebsockexClient", WebsockexClient.class);
					client.awaitConnected().block(Duration.ofSeconds(10));
					JsonNode time = context.getBean(Prices.class).serverTime().block(Duration.ofSeconds(5));
					assertThat(time.asLong()).isEqualTo(1700000000000L);
				});
		}
	}

	@Test
	void theRateLimitJavaConfigBuilds() {
		Config config = Config.builder("wss://test.deribit.com/ws/api/v2")
			.platform(Platforms.deribit())
			.rateLimit(RateLimit.of(50)
				.withRefill(20, Duration.ofSeconds(1))
				.withCost(CostFunctions.deribit(Map.of("private/buy", 25)))
				.withMaxQueue(100))
			.build();
		assertThat(config.rateLimit().cost().cost("private/buy")).isEqualTo(25);
		assertThat(config.rateLimit().cost().cost("private/get_positions")).isEqualTo(5);
	}

	@Configuration(proxyBeanMethods = false)
	@Import(Prices.class)
	static class App {

		@Bean
		WebsockexClientCustomizer patientRetries() {
			return (name, config) -> config.retryDelay(Duration.ofSeconds(5));
		}

		@Bean
		WebsockexClientCustomizer wiretap() {
			return WebsockexClientCustomizer.httpClient((name, http) -> http.wiretap(true));
		}

	}

	// As in the README's quick start (there annotated @Service).
	static class Prices {

		private final WebsockexClient deribit;

		Prices(@Qualifier("deribit") WebsockexClient deribit) { // or
																// WebsockexClients.get("deribit")
			this.deribit = deribit;
		}

		Mono<JsonNode> serverTime() {
			return this.deribit.request("public/get_time", Map.of());
		}

	}

}
