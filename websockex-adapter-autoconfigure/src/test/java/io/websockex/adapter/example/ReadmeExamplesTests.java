package io.websockex.adapter.example;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.websockex.adapter.Config;
import io.websockex.adapter.Credentials;
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
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

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
			.maxChannelsPerSubscribe(100)
			.rateLimit(RateLimit.of(50_000)
				.withRefill(10_000, Duration.ofSeconds(1))
				.withCost(CostFunctions.deribit(Map.of("private/buy", 2500))) // merged
																				// over
																				// the
																				// table
				.withMaxQueue(100))
			.build();
		assertThat(config.rateLimit().cost().cost("private/buy")).isEqualTo(2500);
		assertThat(config.rateLimit().cost().cost("private/get_positions")).isEqualTo(500);
		assertThat(config.maxChannelsPerSubscribe()).isEqualTo(100);
	}

	@Test
	void theAuthJavaConfigBuilds() {
		String clientId = "my-id";
		String clientSecret = "my-secret";
		Config config = Config.builder("wss://test.deribit.com/ws/api/v2")
			.platform(Platforms.deribit())
			.auth(new Credentials(clientId, clientSecret).withMethod(Credentials.Method.CLIENT_SIGNATURE)
				.withRefreshAt(0.8))
			.build();
		assertThat(config.auth().method()).isEqualTo(Credentials.Method.CLIENT_SIGNATURE);
		assertThat(config.toString()).doesNotContain(clientSecret);
	}

	@Test
	void theAuthAndRateLimitYamlBindAsTheReadmeSays() throws IOException {
		List<String> blocks = readmeYamlBlocks();
		String auth = blocks.stream().filter((block) -> block.contains("client-signature")).findFirst().orElseThrow();
		String rateLimit = blocks.stream().filter((block) -> block.contains("[private/buy]")).findFirst().orElseThrow();
		withYaml(auth, "deribit").run((context) -> {
			Config config = context.getBean("deribitWebsockexConfig", Config.class);
			assertThat(config.auth().clientId()).isEqualTo("id-from-env");
			assertThat(config.auth().method()).isEqualTo(Credentials.Method.CLIENT_SIGNATURE);
			assertThat(config.auth().refreshAt()).isEqualTo(0.8);
		});
		withYaml(rateLimit, "deribit", "binance").run((context) -> {
			Config deribit = context.getBean("deribitWebsockexConfig", Config.class);
			assertThat(deribit.maxChannelsPerSubscribe()).isEqualTo(100);
			assertThat(deribit.rateLimit().capacity()).isEqualTo(50_000);
			assertThat(deribit.rateLimit().refillRate()).isEqualTo(10_000);
			assertThat(deribit.rateLimit().cost().cost("private/buy")).isEqualTo(2500);
			assertThat(deribit.rateLimit().cost().cost("public/get_time")).isEqualTo(500);
			Config binance = context.getBean("binanceWebsockexConfig", Config.class);
			assertThat(binance.rateLimit().refillInterval()).isEqualTo(Duration.ofMinutes(1));
			assertThat(binance.rateLimit().cost().cost("depth")).isEqualTo(50);
			assertThat(binance.rateLimit().cost().cost("exchangeInfo")).isEqualTo(20);
		});
	}

	private static ApplicationContextRunner withYaml(String yaml, String... clients) throws IOException {
		List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("readme",
				new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)));
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(WebsockexAutoConfiguration.class))
			.withInitializer((context) -> sources.forEach(context.getEnvironment().getPropertySources()::addLast))
			.withPropertyValues("DERIBIT_CLIENT_ID=id-from-env", "DERIBIT_CLIENT_SECRET=secret-from-env")
			.withPropertyValues(java.util.Arrays.stream(clients)
				.map((client) -> "websockex.clients." + client + ".auto-startup=false")
				.toArray(String[]::new));
	}

	// The README at the repository's root, read from the module's directory.
	private static List<String> readmeYamlBlocks() throws IOException {
		String readme = Files.readString(Path.of("..", "README.md"));
		Matcher matcher = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(readme);
		List<String> blocks = new ArrayList<>();
		while (matcher.find()) {
			blocks.add(matcher.group(1));
		}
		return blocks;
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
