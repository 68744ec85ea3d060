package io.websockex.adapter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexClients;
import io.websockex.adapter.WebsockexException;
import io.websockex.adapter.heartbeat.Heartbeat;
import io.websockex.adapter.platform.Platforms;
import io.websockex.adapter.ratelimit.CostFunctions;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Wiring and mapping of {@link WebsockexAutoConfiguration}, without a server: clients are
 * not started ({@code auto-startup: false}) unless a test is about starting.
 */
class WebsockexAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebsockexAutoConfiguration.class, SslAutoConfiguration.class));

	private static String[] client(String name, String... properties) {
		List<String> result = new ArrayList<>();
		result.add("websockex.clients." + name + ".url=ws://127.0.0.1:9/" + name);
		result.add("websockex.clients." + name + ".auto-startup=false");
		for (String property : properties) {
			result.add("websockex.clients." + name + "." + property);
		}
		return result.toArray(String[]::new);
	}

	@Test
	void registersAConfigAndAClientBeanPerEntryNamedAfterIt() {
		this.runner.withPropertyValues(client("deribit")).withPropertyValues(client("binance")).run((context) -> {
			assertThat(context).hasSingleBean(WebsockexClients.class);
			assertThat(context.getBeansOfType(WebsockexClient.class)).containsOnlyKeys("deribitWebsockexClient",
					"binanceWebsockexClient");
			assertThat(context.getBeansOfType(Config.class)).containsOnlyKeys("deribitWebsockexConfig",
					"binanceWebsockexConfig");
			WebsockexClient deribit = context.getBean("deribitWebsockexClient", WebsockexClient.class);
			assertThat(deribit.name()).isEqualTo("deribit");
			assertThat(deribit.config()).isSameAs(context.getBean("deribitWebsockexConfig"));
			assertThat(deribit.config().url()).hasToString("ws://127.0.0.1:9/deribit");
			assertThat(deribit.state()).isEqualTo(ConnectionState.DISCONNECTED);
		});
	}

	@Test
	void clientAndConfigAreQualifiedByThePlainName() {
		this.runner.withPropertyValues(client("deribit"))
			.withPropertyValues(client("binance"))
			.withUserConfiguration(QualifiedInjection.class)
			.run((context) -> {
				QualifiedInjection injection = context.getBean(QualifiedInjection.class);
				assertThat(injection.binance).isSameAs(context.getBean("binanceWebsockexClient"));
				assertThat(injection.deribitConfig).isSameAs(context.getBean("deribitWebsockexConfig"));
			});
	}

	@Test
	void websockexClientsHoldsTheSameBeansInConfigurationOrder() {
		this.runner.withPropertyValues(client("zeta"))
			.withPropertyValues(client("alpha"))
			.withPropertyValues(client("mid"))
			.run((context) -> {
				WebsockexClients clients = context.getBean(WebsockexClients.class);
				assertThat(clients.names()).containsExactly("zeta", "alpha", "mid");
				assertThat(clients.get("alpha")).isSameAs(context.getBean("alphaWebsockexClient"));
				assertThat(clients).extracting(WebsockexClient::name).containsExactly("zeta", "alpha", "mid");
				assertThat(clients).containsExactly(context.getBean("zetaWebsockexClient", WebsockexClient.class),
						context.getBean("alphaWebsockexClient", WebsockexClient.class),
						context.getBean("midWebsockexClient", WebsockexClient.class));
			});
	}

	@Test
	void websockexClientsNamesTheKnownClientsWhenAskedForAnUnknownOne() {
		this.runner.withPropertyValues(client("deribit")).run((context) -> {
			WebsockexClients clients = context.getBean(WebsockexClients.class);
			assertThatExceptionOfType(WebsockexException.class).isThrownBy(() -> clients.get("derbit"))
				.withMessageContaining("'derbit'")
				.withMessageContaining("[deribit]");
		});
	}

	@Test
	void withoutClientsThereIsAnEmptyWebsockexClients() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(WebsockexClients.class).names()).isEmpty();
			assertThat(context).doesNotHaveBean(WebsockexClient.class);
		});
	}

	@Test
	void disabledStarterRegistersNothing() {
		this.runner.withPropertyValues(client("deribit"))
			.withPropertyValues("websockex.enabled=false")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(WebsockexClient.class);
				assertThat(context).doesNotHaveBean(Config.class);
				assertThat(context).doesNotHaveBean(WebsockexClients.class);
				assertThat(context).doesNotHaveBean(WebsockexProperties.class);
				assertThat(context).doesNotHaveBean(WebsockexListenerBeanPostProcessor.class);
			});
	}

	@Test
	void withoutActuatorOnTheClassPathNothingChanges() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate", "io.micrometer"))
			.withPropertyValues(client("deribit"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasBean("deribitWebsockexClient");
				assertThat(context).hasSingleBean(WebsockexClients.class);
				assertThat(context).hasSingleBean(WebsockexListenerErrors.class);
			});
	}

	@Test
	void withoutReactorNettyNothingIsConfigured() {
		this.runner.withClassLoader(new FilteredClassLoader("reactor.netty.http.client"))
			.withPropertyValues(client("deribit"))
			.run((context) -> assertThat(context).doesNotHaveBean(WebsockexClients.class));
	}

	// The reference table's values are ConfigTests' to check, once: here, that a client
	// given only a URL is configured exactly as the core's builder would configure it.
	@Test
	void aClientWithOnlyAUrlHasTheCoresDefaults() {
		this.runner.withPropertyValues(client("plain")).run((context) -> {
			Config config = context.getBean(WebsockexClients.class).get("plain").config();
			assertThat(config).usingRecursiveComparison().isEqualTo(Config.builder("ws://127.0.0.1:9/plain").build());
			WebsockexClientLifecycle lifecycle = context.getBean("plainWebsockexClient",
					WebsockexClientLifecycle.class);
			assertThat(lifecycle.getPhase()).isEqualTo(WebsockexProperties.DEFAULT_PHASE);
		});
	}

	@Test
	void everyPropertyReachesTheConfig() {
		this.runner
			.withPropertyValues(client("full", "headers.Authorization=Bearer t", "headers.X-Trace=1",
					"subprotocols=v1,v2", "connect-timeout=2s", "retry-count=7", "retry-delay=250ms", "max-backoff=1m",
					"backoff-jitter=0.5", "reconnect-on-error=false", "restore-subscriptions=false",
					"request-timeout=3s", "shutdown-timeout=4s", "max-frame-size=2MB", "compression=true",
					"platform=deribit", "subscriptions=ticker.A,ticker.B", "auth.client-id=id",
					"auth.client-secret=secret", "heartbeat.type=ping", "heartbeat.interval=12s",
					"heartbeat.timeout=3s", "heartbeat.max-failures=4", "heartbeat.idle-timeout=40s",
					"rate-limit.capacity=50", "rate-limit.refill-rate=20", "rate-limit.refill-interval=2s",
					"rate-limit.cost=deribit", "rate-limit.max-queue=9", "outbound-buffer=64", "inbound-buffer=128",
					"max-handshake-header-size=16KB", "ping-replies-per-second=7"))
			.run((context) -> {
				Config config = context.getBean("fullWebsockexConfig", Config.class);
				assertThat(config.headers()).containsExactly(
						org.assertj.core.api.Assertions.entry("Authorization", "Bearer t"),
						org.assertj.core.api.Assertions.entry("X-Trace", "1"));
				assertThat(config.subprotocols()).containsExactly("v1", "v2");
				assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(config.retryCount()).isEqualTo(7);
				assertThat(config.retryDelay()).isEqualTo(Duration.ofMillis(250));
				assertThat(config.maxBackoff()).isEqualTo(Duration.ofMinutes(1));
				assertThat(config.backoffJitter()).isEqualTo(0.5);
				assertThat(config.reconnectOnError()).isFalse();
				assertThat(config.restoreSubscriptions()).isFalse();
				assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(4));
				assertThat(config.maxFrameSize()).isEqualTo(2 * 1024 * 1024);
				assertThat(config.compression()).isTrue();
				assertThat(config.platform()).isSameAs(Platforms.deribit());
				assertThat(config.subscriptions()).containsExactly("ticker.A", "ticker.B");
				assertThat(config.auth().clientId()).isEqualTo("id");
				assertThat(config.auth().clientSecret()).isEqualTo("secret");
				assertThat(config.heartbeat()).isEqualTo(new Heartbeat(Heartbeat.Type.PING, Duration.ofSeconds(12),
						Duration.ofSeconds(3), 4, null, Duration.ofSeconds(40)));
				assertThat(config.rateLimit().capacity()).isEqualTo(50);
				assertThat(config.rateLimit().refillRate()).isEqualTo(20);
				assertThat(config.rateLimit().refillInterval()).isEqualTo(Duration.ofSeconds(2));
				assertThat(config.rateLimit().cost()).hasToString(CostFunctions.deribit().toString());
				assertThat(config.rateLimit().maxQueue()).isEqualTo(9);
				assertThat(config.outboundBuffer()).isEqualTo(64);
				assertThat(config.maxHandshakeHeaderSize()).isEqualTo(16 * 1024);
				assertThat(config.pingRepliesPerSecond()).isEqualTo(7);
				assertThat(config.inboundBuffer()).isEqualTo(128);
				assertThat(config.toString()).doesNotContain("secret").doesNotContain("Bearer");
			});
	}

	@Test
	void perMethodCostsMergeByMethodOverTheDefaultsAndTheTable() {
		this.runner
			.withPropertyValues("websockex.defaults.rate-limit.costs[depth]=50",
					"websockex.defaults.rate-limit.costs[klines]=3")
			.withPropertyValues(client("binance", "rate-limit.capacity=6000", "rate-limit.cost=binance",
					"rate-limit.costs[klines]=7", "rate-limit.costs[order.place]=0", "max-channels-per-subscribe=25",
					"auth.client-id=id", "auth.client-secret=secret", "auth.method=CLIENT_SIGNATURE",
					"auth.refresh-at=0.5"))
			.run((context) -> {
				Config config = context.getBean("binanceWebsockexConfig", Config.class);
				assertThat(config.rateLimit().cost().cost("depth")).isEqualTo(50);
				assertThat(config.rateLimit().cost().cost("klines")).isEqualTo(7);
				assertThat(config.rateLimit().cost().cost("order.place")).isZero();
				assertThat(config.rateLimit().cost().cost("exchangeInfo")).isEqualTo(20);
				assertThat(config.maxChannelsPerSubscribe()).isEqualTo(25);
				assertThat(config.auth().method()).isEqualTo(io.websockex.adapter.Credentials.Method.CLIENT_SIGNATURE);
				assertThat(config.auth().refreshAt()).isEqualTo(0.5);
			});
	}

	@Test
	void aNegativeCostOrABadAuthMethodNamesItsProperty() {
		this.runner.withPropertyValues(client("bad", "rate-limit.capacity=10", "rate-limit.costs[time]=-1"))
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("websockex.clients.bad.rate-limit.costs.time")
				.hasStackTraceContaining("must be 0 or more"));
		this.runner
			.withPropertyValues(client("bad", "auth.client-id=id", "auth.client-secret=secret", "auth.method=oauth"))
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("websockex.clients.bad.auth.method")
				.hasStackTraceContaining("client-credentials or client-signature"));
	}

	@Test
	void textHeartbeatCarriesItsMessage() {
		this.runner.withPropertyValues(client("text", "heartbeat.type=text", "heartbeat.message=ping!"))
			.run((context) -> {
				Heartbeat heartbeat = context.getBean("textWebsockexConfig", Config.class).heartbeat();
				assertThat(heartbeat.type()).isEqualTo(Heartbeat.Type.TEXT);
				assertThat(heartbeat.message()).isEqualTo("ping!");
			});
	}

	@Test
	void rateLimitRefillRateDefaultsToCapacity() {
		this.runner.withPropertyValues(client("limited", "rate-limit.capacity=5")).run((context) -> {
			Config config = context.getBean("limitedWebsockexConfig", Config.class);
			assertThat(config.rateLimit().refillRate()).isEqualTo(5);
			assertThat(config.rateLimit().refillInterval()).isEqualTo(Duration.ofSeconds(1));
			assertThat(config.rateLimit().cost()).isSameAs(CostFunctions.simple());
			assertThat(config.rateLimit().maxQueue()).isEqualTo(100);
		});
	}

	@Test
	void retryCountZeroMeansNeverReconnect() {
		this.runner.withPropertyValues(client("once", "retry-count=0"))
			.run((context) -> assertThat(context.getBean("onceWebsockexConfig", Config.class).retryCount()).isZero());
	}

	@Test
	void clientIsASmartLifecycleWithItsPhaseAndAutoStartup() {
		this.runner.withPropertyValues(client("late", "phase=42")).run((context) -> {
			SmartLifecycle lifecycle = context.getBean("lateWebsockexClient", SmartLifecycle.class);
			assertThat(lifecycle.getPhase()).isEqualTo(42);
			assertThat(lifecycle.isAutoStartup()).isFalse();
			assertThat(lifecycle.isRunning()).isFalse();
		});
	}

	@Test
	void customizersAdjustConfigAndHttpClientInOrder() {
		this.runner.withPropertyValues(client("a"))
			.withPropertyValues(client("b"))
			.withUserConfiguration(OrderedCustomizers.class)
			.run((context) -> {
				OrderedCustomizers customizers = context.getBean(OrderedCustomizers.class);
				assertThat(customizers.calls).containsExactly("first:config:a", "second:config:a", "first:http:a",
						"second:http:a", "first:config:b", "second:config:b", "first:http:b", "second:http:b");
				// The later customizer wins.
				assertThat(context.getBean("aWebsockexConfig", Config.class).retryDelay())
					.isEqualTo(Duration.ofSeconds(7));
			});
	}

	@Test
	void listenerErrorsBeanCanBeReplaced() {
		this.runner.withBean(WebsockexListenerErrors.class, WebsockexListenerErrors::new)
			.run((context) -> assertThat(context).hasSingleBean(WebsockexListenerErrors.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class QualifiedInjection {

		WebsockexClient binance;

		Config deribitConfig;

		@Bean
		String injected(@Qualifier("binance") WebsockexClient binance, @Qualifier("deribit") Config deribitConfig) {
			this.binance = binance;
			this.deribitConfig = deribitConfig;
			return "injected";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrderedCustomizers {

		final List<String> calls = new ArrayList<>();

		@Bean
		@Order(2)
		WebsockexClientCustomizer second() {
			return new Recording("second", Duration.ofSeconds(7));
		}

		@Bean
		@Order(1)
		WebsockexClientCustomizer first() {
			return new Recording("first", Duration.ofSeconds(3));
		}

		private final class Recording implements WebsockexClientCustomizer {

			private final String id;

			private final Duration retryDelay;

			Recording(String id, Duration retryDelay) {
				this.id = id;
				this.retryDelay = retryDelay;
			}

			@Override
			public void customize(String name, Config.Builder config) {
				OrderedCustomizers.this.calls.add(this.id + ":config:" + name);
				config.retryDelay(this.retryDelay);
			}

			@Override
			public reactor.netty.http.client.HttpClient customize(String name,
					reactor.netty.http.client.HttpClient httpClient) {
				OrderedCustomizers.this.calls.add(this.id + ":http:" + name);
				return httpClient;
			}

		}

	}

}
