package io.websockex.adapter.actuate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexClients;
import io.websockex.adapter.WebsockexException;
import io.websockex.adapter.WebsockexListener;
import io.websockex.adapter.ratelimit.ConnectRateLimiter;
import io.websockex.adapter.test.WebsockexTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Clients registered while the application runs get the endpoint entry, health, meters,
 * listeners and connect-rate limit of a configured one, and lose them when removed.
 */
@SpringBootTest(classes = RuntimeClientsTests.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=websockex,health",
				"management.endpoint.health.show-details=always", "websockex.connect-rate.attempts=20",
				"websockex.connect-rate.interval=1s", "websockex.clients.configured.url=ws://127.0.0.1:1/ws",
				"websockex.clients.configured.auto-startup=false" })
@AutoConfigureWebTestClient
class RuntimeClientsTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	static final WebsockexTestServer server = WebsockexTestServer.raw();

	@Autowired
	private WebTestClient http;

	@Autowired
	private MeterRegistry registry;

	@Autowired
	private WebsockexClients clients;

	@Autowired
	private ConnectRateLimiter connectRate;

	@Autowired
	private AccountListener listener;

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@DynamicPropertySource
	static void pooledClient(DynamicPropertyRegistry registry) {
		registry.add("websockex.clients.book.url", server::url);
		registry.add("websockex.clients.book.pool.size", () -> "3");
		registry.add("websockex.clients.book.pool.max-subscriptions-per-connection", () -> "2");
	}

	@Test
	void aPoolShowsEachMemberAndIsUpWhileOneIsConnected() {
		WebsockexClient book = this.clients.get("book");
		assertThat(book.members()).hasSize(3);
		await().atMost(WAIT)
			.until(() -> book.members().stream().allMatch((m) -> m.state() == ConnectionState.CONNECTED));
		this.http.get()
			.uri("/actuator/websockex/book")
			.exchange()
			.expectBody()
			.jsonPath("$.state")
			.isEqualTo("CONNECTED")
			.jsonPath("$.members['book#0'].state")
			.isEqualTo("CONNECTED")
			.jsonPath("$.members['book#2'].healthScore")
			.isEqualTo(1.0);
		assertThat(this.registry.get("websockex.pool.member.connected").tag("client", "book").gauges()).hasSize(3);
		assertThat(this.registry.get("websockex.pool.member.connected").tag("member", "1").gauge().value())
			.isEqualTo(1);
		book.members().get(0).disconnect().block(WAIT);
		book.members().get(1).disconnect().block(WAIT);
		this.http.get()
			.uri("/actuator/health/websockex/book")
			.exchange()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP")
			.jsonPath("$.details.members['book#0'].state")
			.isEqualTo("DISCONNECTED")
			.jsonPath("$.details.members['book#2'].state")
			.isEqualTo("CONNECTED");
		assertThat(this.registry.get("websockex.pool.member.connected").tag("member", "0").gauge().value()).isZero();
		assertThatExceptionOfType(WebsockexException.class)
			.isThrownBy(() -> book.subscribe("a", "b", "c", "d", "e", "f", "g").block(WAIT))
			.withMessageContaining("pool.max-subscriptions-per-connection 2");
		book.start();
	}

	@Test
	void aRegisteredClientShowsEverywhereAtOnceAndRemovingItTakesItAway() {
		WebsockexClient client = this.clients.register("account-1", Config.builder(server.url()).build());
		// The endpoint, health and meters know it before it has even connected.
		this.http.get().uri("/actuator/websockex/account-1").exchange().expectStatus().isOk();
		assertThat(this.registry.find("websockex.connected").tag("client", "account-1").gauge()).isNotNull();
		client.awaitConnected().block(WAIT);
		this.http.get()
			.uri("/actuator/websockex")
			.exchange()
			.expectBody()
			.jsonPath("$.clients['account-1'].state")
			.isEqualTo("CONNECTED");
		this.http.get()
			.uri("/actuator/health/websockex/account-1")
			.exchange()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP");
		assertThat(this.registry.get("websockex.connected").tag("client", "account-1").gauge().value()).isEqualTo(1);
		// The client may see the upgrade before the server registered its session: push
		// until the listener has it.
		await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
			server.send("balance:42");
			return this.listener.received.contains("balance:42");
		});

		this.clients.remove("account-1").block(WAIT);
		assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
		assertThat(this.clients.names()).doesNotContain("account-1");
		this.http.get().uri("/actuator/websockex/account-1").exchange().expectStatus().isNotFound();
		this.http.get().uri("/actuator/health/websockex/account-1").exchange().expectStatus().isNotFound();
		assertThat(this.registry.find("websockex.connected").tag("client", "account-1").meters()).isEmpty();
		assertThat(this.registry.getMeters()).noneMatch((meter) -> "account-1".equals(meter.getId().getTag("client")));
	}

	@Test
	void runTimeAndConfiguredClientsShareTheConnectRateLimiter() {
		WebsockexClient client = this.clients.register("account-2", Config.builder(server.url()).build());
		try {
			assertThat(client.config().connectRate()).isSameAs(this.connectRate);
			assertThat(this.clients.get("configured").config().connectRate()).isSameAs(this.connectRate);
			assertThat(this.connectRate.attempts()).isEqualTo(20);
			client.awaitConnected().block(WAIT);
			assertThat(this.registry.get("websockex.connect-rate.granted").functionCounter().count())
				.isGreaterThanOrEqualTo(1);
			assertThat(this.registry.get("websockex.connect-rate.queued").gauge().value()).isZero();
		}
		finally {
			this.clients.remove("account-2").block(WAIT);
		}
	}

	@Test
	void registeringANameTwiceFailsAndConfiguredClientsCannotBeRemoved() {
		this.clients.register("account-3", Config.builder(server.url()).build());
		try {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> this.clients.register("account-3", Config.builder(server.url()).build()))
				.withMessageContaining("'account-3' already exists");
			assertThat(this.clients.remove("configured").onErrorResume((error) -> {
				assertThat(error).isInstanceOf(WebsockexException.class)
					.hasMessageContaining("only clients made with register(...) can be removed");
				return reactor.core.publisher.Mono.empty();
			}).block(WAIT)).isNull();
			assertThat(this.clients.names()).contains("configured");
		}
		finally {
			this.clients.remove("account-3").block(WAIT);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		AccountListener accountListener() {
			return new AccountListener();
		}

	}

	static class AccountListener {

		final List<String> received = new CopyOnWriteArrayList<>();

		@WebsockexListener(client = "account-*")
		void onMessage(String text) {
			this.received.add(text);
		}

	}

}
