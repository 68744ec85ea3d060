package io.websockex.adapter.autoconfigure;

import java.util.List;

import io.websockex.adapter.WebsockexListener;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every configuration error fails start-up with a description naming
 * {@code websockex.clients.<name>.<property>} and an action.
 */
class WebsockexFailureAnalyzerTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebsockexAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("websockex.clients.feed.auto-startup=false");

	private FailureAnalysis analyze(String... properties) {
		FailureAnalysis[] analysis = new FailureAnalysis[1];
		this.runner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			analysis[0] = new WebsockexFailureAnalyzer().analyze(context.getStartupFailure());
		});
		assertThat(analysis[0]).as("analysis").isNotNull();
		return analysis[0];
	}

	@Test
	void namesTheUrlWhenItIsNotAWebSocketUrl() {
		FailureAnalysis analysis = analyze("websockex.clients.feed.url=http://127.0.0.1/ws");
		assertThat(analysis.getDescription()).contains("websockex.clients.feed.url")
			.contains("ws:// or wss://")
			.contains("'feed'");
		assertThat(analysis.getAction()).contains("websockex.clients.feed.url");
	}

	@Test
	void namesTheUrlWhenItIsMissing() {
		FailureAnalysis analysis = analyze("websockex.clients.feed.retry-count=3");
		assertThat(analysis.getDescription()).contains("websockex.clients.feed.url is required");
	}

	@Test
	void namesTheUrlWhenItHasNoHost() {
		FailureAnalysis analysis = analyze("websockex.clients.feed.url=ws:///path");
		assertThat(analysis.getDescription()).contains("websockex.clients.feed.url must have a host");
	}

	@Test
	void namesANegativeDuration() {
		FailureAnalysis analysis = analyze("websockex.clients.feed.url=ws://127.0.0.1/ws",
				"websockex.clients.feed.retry-delay=-1s");
		assertThat(analysis.getDescription())
			.contains("websockex.clients.feed.retry-delay must be a positive duration");
		assertThat(analysis.getAction()).contains("websockex.clients.feed.retry-delay");
	}

	@Test
	void namesANegativeHeartbeatDuration() {
		FailureAnalysis analysis = analyze("websockex.clients.feed.url=ws://127.0.0.1/ws",
				"websockex.clients.feed.heartbeat.type=ping", "websockex.clients.feed.heartbeat.timeout=-5s");
		assertThat(analysis.getDescription()).contains("websockex.clients.feed.heartbeat.timeout");
	}

	@Test
	void namesAnUnknownHeartbeatTypeAndTheAcceptedOnes() {
		FailureAnalysis analysis = analyze("websockex.clients.feed.url=ws://127.0.0.1/ws",
				"websockex.clients.feed.heartbeat.type=pong");
		assertThat(analysis.getDescription()).contains("websockex.clients.feed.heartbeat.type")
			.contains("'pong'")
			.contains("none, ping, deribit or text");
	}

	@Test
	void namesAnUnknownPlatform() {
		FailureAnalysis analysis = analyze("websockex.clients.feed.url=ws://127.0.0.1/ws",
				"websockex.clients.feed.platform=kraken");
		assertThat(analysis.getDescription()).contains("websockex.clients.feed.platform")
			.contains("deribit, json-rpc or raw");
	}

	@Test
	void namesAnUnknownCostFunction() {
		FailureAnalysis analysis = analyze("websockex.clients.feed.url=ws://127.0.0.1/ws",
				"websockex.clients.feed.rate-limit.capacity=5", "websockex.clients.feed.rate-limit.cost=free");
		assertThat(analysis.getDescription()).contains("websockex.clients.feed.rate-limit.cost");
	}

	@Test
	void namesAMaxBackoffBelowTheRetryDelay() {
		FailureAnalysis analysis = analyze("websockex.clients.feed.url=ws://127.0.0.1/ws",
				"websockex.clients.feed.retry-delay=10s", "websockex.clients.feed.max-backoff=1s");
		assertThat(analysis.getDescription())
			.contains("websockex.clients.feed.max-backoff must be at least retry-delay");
	}

	@Test
	void namesAnAuthSecretMissingWithoutShowingTheId() {
		FailureAnalysis analysis = analyze("websockex.clients.feed.url=ws://127.0.0.1/ws",
				"websockex.clients.feed.auth.client-id=someone");
		assertThat(analysis.getDescription()).contains("websockex.clients.feed.auth.client-secret");
	}

	@Test
	void namesAMissingSslBundleAndTheKnownOnes() {
		FailureAnalysis analysis = analyze("websockex.clients.feed.url=wss://127.0.0.1/ws",
				"websockex.clients.feed.ssl.bundle=nope");
		assertThat(analysis.getDescription()).contains("websockex.clients.feed.ssl.bundle")
			.contains("'nope'")
			.contains("does not exist");
		assertThat(analysis.getAction()).contains("spring.ssl.bundle.pem.nope");
	}

	@Test
	void namesAListenerThatNamesAnUnknownClient() {
		FailureAnalysis[] analysis = new FailureAnalysis[1];
		this.runner.withPropertyValues("websockex.clients.feed.url=ws://127.0.0.1/ws")
			.withBean(MisspelledListener.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				analysis[0] = new WebsockexFailureAnalyzer().analyze(context.getStartupFailure());
			});
		assertThat(analysis[0].getDescription()).contains("websockex.clients.fed.url is not configured")
			.contains(MisspelledListener.class.getName() + ".onMessage")
			.contains("known clients: [feed]");
		assertThat(analysis[0].getAction()).contains("websockex.clients.fed.url").contains("[feed]");
	}

	@Test
	void namesAListenerWithTwoParameters() {
		FailureAnalysis[] analysis = new FailureAnalysis[1];
		this.runner.withPropertyValues("websockex.clients.feed.url=ws://127.0.0.1/ws")
			.withBean(TwoParameterListener.class)
			.run((context) -> {
				assertThat(context).hasFailed();
				analysis[0] = new WebsockexFailureAnalyzer().analyze(context.getStartupFailure());
			});
		assertThat(analysis[0].getDescription()).contains("must take exactly one parameter");
	}

	@Test
	void isRegisteredAsAFailureAnalyzer() {
		List<String> analyzers = SpringFactoriesLoader.loadFactoryNames(FailureAnalyzer.class,
				getClass().getClassLoader());
		assertThat(analyzers).contains(WebsockexFailureAnalyzer.class.getName(),
				WebsockexStartupFailureAnalyzer.class.getName());
	}

	static class MisspelledListener {

		@WebsockexListener(client = "fed")
		void onMessage(String message) {
		}

	}

	static class TwoParameterListener {

		@WebsockexListener(client = "feed")
		void onMessage(String message, String other) {
		}

	}

}
