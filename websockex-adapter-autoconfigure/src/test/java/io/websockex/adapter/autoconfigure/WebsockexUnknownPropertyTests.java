package io.websockex.adapter.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.websockex.adapter.Config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A key under {@code websockex} that no property declares fails start-up, naming the key
 * and the nearest valid one, instead of being ignored without a word.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebsockexUnknownPropertyTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebsockexAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("websockex.clients.exchange.url=ws://127.0.0.1:9/ws",
				"websockex.clients.exchange.auto-startup=false");

	private FailureAnalysis analyze(String... properties) {
		FailureAnalysis[] analysis = new FailureAnalysis[1];
		this.runner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			analysis[0] = new WebsockexUnknownPropertyFailureAnalyzer().analyze(context.getStartupFailure());
		});
		assertThat(analysis[0]).as("analysis").isNotNull();
		return analysis[0];
	}

	@Test
	void aMistypedClientKeyFailsNamingTheNearestKey() {
		FailureAnalysis analysis = analyze("websockex.clients.exchange.retry-dely=5s");
		assertThat(analysis.getDescription()).contains("websockex.clients.exchange.retry-dely")
			.contains("did you mean `retry-delay` (websockex.clients.exchange.retry-delay)?");
		assertThat(analysis.getAction()).contains("Rename");
	}

	@Test
	void aMistypedNestedKeyFailsNamingTheNearestKeyOfItsGroup() {
		FailureAnalysis analysis = analyze("websockex.clients.exchange.heartbeat.intervall=5s");
		assertThat(analysis.getDescription()).contains("websockex.clients.exchange.heartbeat.intervall")
			.contains("did you mean `heartbeat.interval` (websockex.clients.exchange.heartbeat.interval)?");
	}

	@Test
	void anUnknownDefaultsKeyFails() {
		FailureAnalysis analysis = analyze("websockex.defaults.foo=1");
		assertThat(analysis.getDescription()).contains("websockex.defaults.foo: no such key; did you mean `")
			.contains("(websockex.defaults.");
	}

	@Test
	void aUrlUnderDefaultsIsExplained() {
		FailureAnalysis analysis = analyze("websockex.defaults.url=ws://127.0.0.1:9/ws");
		assertThat(analysis.getDescription()).contains("websockex.defaults.url")
			.contains("set websockex.clients.<name>.url");
	}

	@Test
	void everyUnknownKeyIsListedWithItsOwnSuggestion() {
		FailureAnalysis analysis = analyze("websockex.clients.exchange.retry-dely=5s",
				"websockex.defaults.rate-limit.max-queu=5", "websockex.enabeld=true");
		assertThat(analysis.getDescription()).contains("Unknown websockex configuration keys")
			.contains("`retry-delay`")
			.contains("`rate-limit.max-queue` (websockex.defaults.rate-limit.max-queue)")
			.contains("`enabled` (websockex.enabled)");
	}

	@Test
	void aMistypedClientsSectionSuggestsTheClientsKey() {
		FailureAnalysis analysis = analyze("websockex.client.exchange.url=ws://127.0.0.1:9/ws");
		assertThat(analysis.getDescription()).contains("(websockex.clients.exchange.url)");
	}

	@Test
	void everyDeclaredKeyIsAccepted() {
		this.runner
			.withPropertyValues("websockex.enabled=true", "websockex.defaults.retry-delay=2s",
					"websockex.defaults.headers.X-Anything=1", "websockex.clients.exchange.headers.Authorization=t",
					"websockex.clients.exchange.heartbeat.idle-timeout=20s",
					"websockex.clients.exchange.rate-limit.capacity=5", "websockex.clients.exchange.ssl.bundle=",
					"websockex.clients.exchange.subscriptions[0]=ticker.A")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void relaxedFormsOfValidKeysAreAccepted() {
		this.runner
			.withPropertyValues("websockex.clients.exchange.retryDelay=2s",
					"websockex.defaults.heartbeat.max_failures=3")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Config config = context.getBean("exchangeWebsockexConfig", Config.class);
				assertThat(config.retryDelay()).isEqualTo(Duration.ofSeconds(2));
				assertThat(config.heartbeat().maxFailures()).isEqualTo(3);
			});
	}

	// Boot leaves system environment and system properties out of the unknown-key check
	// (they hold other programs' variables too); valid names there reach the client.
	@Test
	void environmentVariablesInTheirRelaxedFormAreAccepted() {
		Map<String, Object> variables = Map.of("WEBSOCKEX_CLIENTS_EXCHANGE_RETRYDELAY", "2s",
				"WEBSOCKEX_DEFAULTS_HEARTBEAT_MAXFAILURES", "3");
		this.runner
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new SystemEnvironmentPropertySource("systemEnvironment", variables)))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Config config = context.getBean("exchangeWebsockexConfig", Config.class);
				assertThat(config.retryDelay()).isEqualTo(Duration.ofSeconds(2));
				assertThat(config.heartbeat().maxFailures()).isEqualTo(3);
			});
	}

	@Test
	void keysOutsideWebsockexAreLeftToOthers() {
		assertThat(new WebsockexUnknownPropertyFailureAnalyzer().analyze(new IllegalStateException("other"))).isNull();
	}

	@Test
	void theNearestKeyKeepsTheClientsNameAndMapKeys() {
		assertThat(nearest("websockex.clients.my-feed.max-bakoff")).isEqualTo("websockex.clients.my-feed.max-backoff");
		assertThat(nearest("websockex.clients[eu.feed].max-bakoff"))
			.isEqualTo("websockex.clients[eu.feed].max-backoff");
		assertThat(nearest("websockex.defaults.header.x-key")).isEqualTo("websockex.defaults.headers.x-key");
	}

	private static String nearest(String unknown) {
		return WebsockexPropertyNames.key(WebsockexPropertyNames.nearest(ConfigurationPropertyName.of(unknown)));
	}

	@Test
	void theApplicationFailsToStartWithTheSuggestionRatherThanBootsGenericReport(CapturedOutput output) {
		SpringApplication application = new SpringApplication(App.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(Map.of("websockex.clients.exchange.url", "ws://127.0.0.1:9/ws",
				"websockex.clients.exchange.auto-startup", "false", "websockex.clients.exchange.retry-dely", "5s"));
		assertThatException().isThrownBy(application::run);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("websockex.clients.exchange.retry-dely: no such key; did you mean `retry-delay`");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ WebsockexAutoConfiguration.class, SslAutoConfiguration.class })
	static class App {

	}

}
