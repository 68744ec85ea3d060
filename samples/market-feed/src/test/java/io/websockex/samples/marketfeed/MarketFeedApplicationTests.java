package io.websockex.samples.marketfeed;

import java.time.Duration;
import java.time.Instant;

import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.Credentials;
import io.websockex.adapter.WebsockexClient;
import io.websockex.samples.marketfeed.sim.SimulatedExchange;
import io.websockex.samples.marketfeed.sim.SimulatorStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.util.TestSocketUtils;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample as a user runs it: the client connects to the simulator over loopback,
 * authenticates, subscribes and receives tickers, and heals after the simulator's drop
 * and stall controls.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT,
		properties = { "server.address=127.0.0.1", "market-feed.summary-interval=1s" })
@AutoConfigureWebTestClient
class MarketFeedApplicationTests {

	private static final Duration RECOVERY = Duration.ofSeconds(15);

	private static final String BTC_TICKER = "ticker.BTC-PERPETUAL.raw";

	// The client's URL is bound (from ${server.port}) when its bean is made, before the
	// web server starts, so a random port (server.port=0) is not known in time: pick a
	// free port up front and run on it.
	private static final int PORT = TestSocketUtils.findAvailableTcpPort();

	@DynamicPropertySource
	static void port(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
	}

	@Autowired
	@Qualifier("exchange")
	private WebsockexClient exchange;

	@Autowired
	private SimulatedExchange simulator;

	@Autowired
	private FeedReporter reporter;

	@Autowired
	private WebTestClient http;

	@BeforeEach
	void connected() {
		await().atMost(RECOVERY).until(() -> this.exchange.state() == ConnectionState.CONNECTED && fullySubscribed());
	}

	@Test
	void connectsAuthenticatesSubscribesAndReceivesTickers() {
		SimulatorStatus.Session session = this.simulator.status().block(Duration.ofSeconds(5)).sessions().get(0);
		assertThat(session.authenticated()).isTrue();
		// Signed auth: the simulator checked the HMAC signature; the secret never
		// travelled.
		assertThat(session.grant()).isEqualTo("client_signature");
		assertThat(this.exchange.config().auth().method()).isEqualTo(Credentials.Method.CLIENT_SIGNATURE);
		assertThat(this.exchange.authenticatedUntil()).isAfter(Instant.now().plusSeconds(600));
		assertThat(session.subscriptions()).containsExactly(BTC_TICKER, "ticker.ETH-PERPETUAL.raw",
				"trades.BTC-PERPETUAL.raw", "trades.ETH-PERPETUAL.raw");
		assertTickersFlow();
	}

	@Test
	void reconnectsReauthenticatesAndResubscribesAfterTheSimulatorDropsTheConnection() {
		long reconnects = this.exchange.metrics().reconnects();
		this.http.post()
			.uri("/sim/drop")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.dropped")
			.isEqualTo(1);
		await().atMost(RECOVERY)
			.until(() -> this.exchange.metrics().reconnects() > reconnects
					&& this.exchange.state() == ConnectionState.CONNECTED && fullySubscribed());
		assertTickersFlow();
		this.http.get()
			.uri("/actuator/websockex")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.clients.exchange.state")
			.isEqualTo("CONNECTED")
			.jsonPath("$.clients.exchange.lastError")
			.value((error) -> assertThat(error).asString().contains("1012"))
			.jsonPath("$.clients.exchange.subscriptions.count")
			.isEqualTo(4);
	}

	@Test
	void detectsAStalledConnectionAndReconnects() {
		long reconnects = this.exchange.metrics().reconnects();
		this.http.post()
			.uri("/sim/stall?seconds=60")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.stalled")
			.isEqualTo(1);
		// The socket stays open and silent: only the heartbeat (idle-timeout 3s, Deribit
		// heartbeat 10s + 3s) can tell the client that it is dead.
		await().atMost(RECOVERY)
			.until(() -> this.exchange.metrics().reconnects() > reconnects
					&& this.exchange.state() == ConnectionState.CONNECTED && fullySubscribed());
		assertTickersFlow();
	}

	@Test
	void setsUpTheDeribitHeartbeatAndAnswersTheExchangesTestRequests() {
		// The simulator sends a test_request right after public/set_heartbeat and closes
		// the connection if it is not answered within the interval.
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			SimulatorStatus.Session session = this.simulator.status().block(Duration.ofSeconds(5)).sessions().get(0);
			assertThat(session.heartbeatSeconds()).isEqualTo(10);
			assertThat(session.testRequestsSent()).isPositive();
			assertThat(session.testRequestsAnswered()).isEqualTo(session.testRequestsSent());
		});
		assertThat(this.exchange.heartbeatHealth().active()).isTrue();
		assertThat(this.exchange.heartbeatHealth().lastReceived()).isNotNull();
	}

	@Test
	void servesTheDashboard() {
		this.http.get()
			.uri("/")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((html) -> assertThat(html).contains("actuator/websockex", "sim/drop", "sim/stall"));
	}

	private boolean fullySubscribed() {
		SimulatorStatus status = this.simulator.status().block(Duration.ofSeconds(5));
		return status.sessions().size() == 1 && !status.sessions().get(0).stalled()
				&& status.sessions().get(0).authenticated() && status.sessions().get(0).subscriptions().size() == 4;
	}

	private void assertTickersFlow() {
		long received = this.reporter.tickersReceived();
		JsonNode ticker = this.exchange.channel(BTC_TICKER).next().block(Duration.ofSeconds(5));
		assertThat(ticker.path("instrument_name").asString()).isEqualTo("BTC-PERPETUAL");
		assertThat(ticker.path("last_price").asDouble()).isPositive();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.reporter.tickersReceived() > received);
	}

}
