package io.websockex.adapter.example;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.websockex.adapter.Config;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexClients;
import io.websockex.adapter.WebsockexListener;
import io.websockex.adapter.autoconfigure.WebsockexAutoConfiguration;
import io.websockex.adapter.ratelimit.ConnectRateLimiter;
import io.websockex.adapter.test.WebsockexTestServer;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's "Beyond one connection" snippets (pools, run-time clients, connect rate),
 * compiled and run as written.
 */
class ReadmeBeyondOneConnectionTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Test
	void thePoolJavaConfigMakesFiveMembers() {
		Config config = Config.builder("wss://stream.example.com:9443/ws")
			.poolSize(5)
			.maxSubscriptionsPerConnection(1024)
			.build();
		WebsockexClient binance = WebsockexClient.create("binance", config);
		assertThat(binance.members()).extracting(WebsockexClient::name)
			.containsExactly("binance#0", "binance#1", "binance#2", "binance#3", "binance#4");
		binance.close().block(WAIT);
	}

	@Test
	void thePoolYamlBindsToOneClientOfFiveMembers() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(WebsockexAutoConfiguration.class))
			.withPropertyValues("websockex.clients.binance.url=wss://stream.example.com:9443/ws",
					"websockex.clients.binance.auto-startup=false", "websockex.clients.binance.pool.size=5",
					"websockex.clients.binance.pool.max-subscriptions-per-connection=1024",
					"websockex.connect-rate.attempts=300", "websockex.connect-rate.interval=5m",
					"websockex.connect-rate.max-queue=100000")
			.run((context) -> {
				WebsockexClient binance = context.getBean(WebsockexClients.class).get("binance");
				assertThat(binance.members()).hasSize(5);
				assertThat(binance.config().maxSubscriptionsPerConnection()).isEqualTo(1024);
				assertThat(binance.config().connectRate()).isSameAs(context.getBean(ConnectRateLimiter.class));
			});
	}

	@Test
	void theConnectRateJavaConfigSharesOneLimiter() {
		ConnectRateLimiter connectRate = ConnectRateLimiter.of(300, Duration.ofMinutes(5));
		Config a = Config.builder("wss://stream.example.com/ws").connectRate(connectRate).build();
		Config b = Config.builder("wss://stream.example.com/ws").connectRate(connectRate).build();
		assertThat(a.connectRate()).isSameAs(b.connectRate());
	}

	@Test
	void theRunTimeClientServiceAndPatternListenerWork() {
		try (WebsockexTestServer server = WebsockexTestServer.raw()) {
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(WebsockexAutoConfiguration.class))
				.withBean(Accounts.class)
				.withBean(AccountFeed.class)
				.run((context) -> {
					Accounts accounts = context.getBean(Accounts.class);
					WebsockexClient client = accounts.open("42", server.url());
					client.awaitConnected().block(WAIT);
					await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
						server.send("hello");
						return context.getBean(AccountFeed.class).received.contains("hello");
					});
					accounts.close("42").block(WAIT);
					assertThat(context.getBean(WebsockexClients.class).names()).doesNotContain("account-42");
				});
		}
	}

	// As in the README (there annotated @Service).
	static class Accounts {

		private final WebsockexClients clients;

		Accounts(WebsockexClients clients) {
			this.clients = clients;
		}

		WebsockexClient open(String account, String url) {
			return this.clients.register("account-" + account, Config.builder(url).build());
		}

		Mono<Void> close(String account) {
			return this.clients.remove("account-" + account);
		}

	}

	// As in the README (there annotated @Component).
	static class AccountFeed {

		final List<String> received = new CopyOnWriteArrayList<>();

		@WebsockexListener(client = "account-*")
		void onMessage(String message) {
			// every client whose name matches, registered before or after this bean
			this.received.add(message);
		}

	}

}
