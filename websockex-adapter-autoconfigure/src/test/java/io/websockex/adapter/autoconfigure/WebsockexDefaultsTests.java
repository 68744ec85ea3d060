package io.websockex.adapter.autoconfigure;

import java.time.Duration;

import io.websockex.adapter.Config;
import io.websockex.adapter.heartbeat.Heartbeat;
import io.websockex.adapter.platform.Platforms;
import io.websockex.adapter.ratelimit.CostFunctions;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * {@code websockex.defaults.*}: every client inherits each key it does not set itself,
 * key by key (client value, then the defaults' value, then {@link Config}'s default).
 */
class WebsockexDefaultsTests {

	// No client starts: defaults.auto-startup is itself one of the inherited keys.
	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebsockexAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("websockex.defaults.auto-startup=false", "websockex.clients.a.url=ws://127.0.0.1:9/a",
				"websockex.clients.b.url=ws://127.0.0.1:9/b");

	@Test
	void everyClientInheritsTheDefaultsItDoesNotSet() {
		this.runner
			.withPropertyValues("websockex.defaults.retry-delay=2s", "websockex.defaults.max-backoff=1m",
					"websockex.defaults.platform=deribit", "websockex.defaults.max-frame-size=1MB",
					"websockex.defaults.compression=true", "websockex.defaults.subscriptions=ticker.A",
					"websockex.clients.b.retry-delay=3s")
			.run((context) -> {
				Config a = context.getBean("aWebsockexConfig", Config.class);
				Config b = context.getBean("bWebsockexConfig", Config.class);
				assertThat(a.retryDelay()).isEqualTo(Duration.ofSeconds(2));
				assertThat(b.retryDelay()).isEqualTo(Duration.ofSeconds(3));
				for (Config config : new Config[] { a, b }) {
					assertThat(config.maxBackoff()).isEqualTo(Duration.ofMinutes(1));
					assertThat(config.platform()).isSameAs(Platforms.deribit());
					assertThat(config.maxFrameSize()).isEqualTo(1024 * 1024);
					assertThat(config.compression()).isTrue();
					assertThat(config.subscriptions()).containsExactly("ticker.A");
					// not set anywhere: Config's own default
					assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
				}
			});
	}

	@Test
	void nestedGroupsMergeKeyByKey() {
		this.runner
			.withPropertyValues("websockex.defaults.heartbeat.type=ping", "websockex.defaults.heartbeat.interval=12s",
					"websockex.defaults.rate-limit.capacity=50", "websockex.defaults.rate-limit.cost=deribit",
					"websockex.defaults.auth.client-id=shared-id", "websockex.clients.a.heartbeat.timeout=3s",
					"websockex.clients.a.rate-limit.refill-rate=20", "websockex.clients.a.auth.client-secret=a-secret",
					"websockex.clients.b.heartbeat.type=deribit", "websockex.clients.b.auth.client-secret=b-secret")
			.run((context) -> {
				Config a = context.getBean("aWebsockexConfig", Config.class);
				Config b = context.getBean("bWebsockexConfig", Config.class);
				assertThat(a.heartbeat()).isEqualTo(new Heartbeat(Heartbeat.Type.PING, Duration.ofSeconds(12),
						Duration.ofSeconds(3), Heartbeat.DEFAULT_MAX_FAILURES, null, null));
				assertThat(b.heartbeat()).isEqualTo(Heartbeat.deribit(Duration.ofSeconds(12)));
				assertThat(a.rateLimit().capacity()).isEqualTo(50);
				assertThat(a.rateLimit().refillRate()).isEqualTo(20);
				assertThat(a.rateLimit().cost()).hasToString(CostFunctions.deribit().toString());
				assertThat(b.rateLimit().refillRate()).isEqualTo(50);
				assertThat(a.auth().clientId()).isEqualTo("shared-id");
				assertThat(a.auth().clientSecret()).isEqualTo("a-secret");
				assertThat(b.auth().clientId()).isEqualTo("shared-id");
				assertThat(b.auth().clientSecret()).isEqualTo("b-secret");
			});
	}

	@Test
	void headersMergeByNameAndListsAreReplaced() {
		this.runner
			.withPropertyValues("websockex.defaults.headers.User-Agent=desk/1",
					"websockex.defaults.headers.X-Team=rates", "websockex.defaults.subprotocols=v1",
					"websockex.defaults.subscriptions=ticker.A,ticker.B", "websockex.clients.a.headers.X-Team=fx",
					"websockex.clients.a.headers.X-Key=k", "websockex.clients.a.subprotocols=v2",
					"websockex.clients.a.subscriptions=ticker.C")
			.run((context) -> {
				Config a = context.getBean("aWebsockexConfig", Config.class);
				Config b = context.getBean("bWebsockexConfig", Config.class);
				assertThat(a.headers()).containsOnly(entry("User-Agent", "desk/1"), entry("X-Team", "fx"),
						entry("X-Key", "k"));
				assertThat(a.subprotocols()).containsExactly("v2");
				assertThat(a.subscriptions()).containsExactly("ticker.C");
				assertThat(b.headers()).containsOnly(entry("User-Agent", "desk/1"), entry("X-Team", "rates"));
				assertThat(b.subprotocols()).containsExactly("v1");
				assertThat(b.subscriptions()).containsExactly("ticker.A", "ticker.B");
			});
	}

	@Test
	void lifecycleKeysAreInheritedToo() {
		this.runner
			.withPropertyValues("websockex.defaults.phase=7", "websockex.clients.b.phase=8",
					"websockex.clients.b.auto-startup=true", "websockex.clients.b.retry-count=0",
					"websockex.clients.b.reconnect-on-error=false")
			.run((context) -> {
				SmartLifecycle a = context.getBean("aWebsockexClient", SmartLifecycle.class);
				SmartLifecycle b = context.getBean("bWebsockexClient", SmartLifecycle.class);
				assertThat(a.getPhase()).isEqualTo(7);
				assertThat(a.isAutoStartup()).isFalse();
				assertThat(b.getPhase()).isEqualTo(8);
				assertThat(b.isAutoStartup()).isTrue();
			});
	}

	@Test
	void anInvalidDefaultNamesTheDefaultsKeyAndTheClient() {
		this.runner.withPropertyValues("websockex.defaults.retry-delay=-1s").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new WebsockexFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("websockex.defaults.retry-delay must be a positive duration")
				.contains("'a'")
				.doesNotContain("websockex.clients.a.retry-delay");
			assertThat(analysis.getAction()).contains("websockex.defaults.retry-delay");
		});
	}

	@Test
	void anInvalidDefaultInANestedGroupNamesTheDefaultsKey() {
		this.runner.withPropertyValues("websockex.defaults.heartbeat.type=pong").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new WebsockexFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("websockex.defaults.heartbeat.type").contains("'pong'");
		});
	}

	@Test
	void aClientOverridingAnInvalidDefaultIsNamedItself() {
		this.runner
			.withPropertyValues("websockex.defaults.max-backoff=10s", "websockex.clients.a.max-backoff=500ms",
					"websockex.clients.b.max-backoff=20s")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new WebsockexFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription())
					.contains("websockex.clients.a.max-backoff must be at least retry-delay");
			});
	}

}
