package io.websockex.adapter.testserver;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionLostException;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.Credentials;
import io.websockex.adapter.DisconnectReason;
import io.websockex.adapter.JsonRpcErrorException;
import io.websockex.adapter.RequestTimeoutException;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.heartbeat.Heartbeat;
import io.websockex.adapter.platform.Platforms;
import io.websockex.adapter.test.WebsockexTestServer;
import io.websockex.adapter.test.WebsockexTestServer.Platform;
import io.websockex.adapter.test.junit.WebsockexServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Every fault and platform behaviour of {@link WebsockexTestServer}, against the real
 * websockex client: what a user of the test module relies on.
 */
class TestServerAgainstTheClientTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@WebsockexServer
	WebsockexTestServer server;

	@WebsockexServer(platform = Platform.DERIBIT)
	WebsockexTestServer deribit;

	private final List<WebsockexClient> clients = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach((client) -> client.close().block(WAIT));
	}

	private Config.Builder config(WebsockexTestServer server) {
		return Config.builder(server.url())
			.retryDelay(Duration.ofMillis(50))
			.maxBackoff(Duration.ofMillis(50))
			.backoffJitter(0)
			.requestTimeout(Duration.ofSeconds(5));
	}

	private WebsockexClient connect(Config config) {
		WebsockexClient client = WebsockexClient.create("test", config);
		this.clients.add(client);
		client.start();
		client.awaitConnected().block(WAIT);
		return client;
	}

	@Test
	void scriptedRepliesErrorsDelaysAndSilenceReachTheClient() {
		this.server.onRequest("public/get_time").reply("1700000000000");
		this.server.onRequest("private/buy").error(10009, "not_enough_funds");
		this.server.onRequest("slow").delay(Duration.ofMillis(300)).reply(Map.of("ok", true));
		this.server.onRequest("lost").noReply();
		WebsockexClient client = connect(config(this.server).requestTimeout(Duration.ofMillis(500)).build());
		assertThat(client.request("public/get_time", Map.of()).block(WAIT).asLong()).isEqualTo(1700000000000L);
		assertThatThrownBy(() -> client.request("private/buy", Map.of()).block(WAIT))
			.isInstanceOfSatisfying(JsonRpcErrorException.class, (ex) -> assertThat(ex.code()).isEqualTo(10009));
		assertThat(client.request("slow", Map.of()).block(WAIT).get("ok").asBoolean()).isTrue();
		assertThatThrownBy(() -> client.request("lost", Map.of()).block(WAIT))
			.isInstanceOf(RequestTimeoutException.class);
	}

	@Test
	void pushReachesTheClientsChannelOnceSubscribed() {
		WebsockexClient client = connect(config(this.server).build());
		List<JsonNode> ticks = new CopyOnWriteArrayList<>();
		client.channel("ticker").subscribe(ticks::add);
		client.subscribe("ticker").block(WAIT);
		this.server.awaitSubscribed("ticker");
		assertThat(this.server.push("ticker", Map.of("last", 42))).isEqualTo(1);
		await().atMost(WAIT).until(() -> ticks.size() == 1);
		assertThat(ticks.get(0).get("last").asInt()).isEqualTo(42);
	}

	@Test
	void dropWithACodeMakesTheClientReconnectAndRestoreItsSubscriptions() {
		WebsockexClient client = connect(config(this.server).build());
		client.subscribe("ticker").block(WAIT);
		this.server.awaitRequest("public/subscribe");
		this.server.drop(1011);
		this.server.awaitConnections(2);
		assertThat(this.server.awaitRequest("public/subscribe").get("channels").get(0).asString()).isEqualTo("ticker");
		await().atMost(WAIT).until(() -> client.state() == ConnectionState.CONNECTED);
	}

	@Test
	void dropWithoutACloseFrameMakesTheClientReconnect() {
		connect(config(this.server).build());
		this.server.drop();
		this.server.awaitConnections(2);
	}

	@Test
	void aStallIsFoundByTheIdleWatchdog() {
		connect(config(this.server).heartbeat(Heartbeat.none().withIdleTimeout(Duration.ofMillis(500))).build());
		this.server.stall(Duration.ofSeconds(30));
		this.server.awaitConnections(2);
	}

	@Test
	void aFrozenConnectionIsFoundByPingHeartbeats() {
		WebsockexClient client = connect(config(this.server)
			.heartbeat(Heartbeat.ping(Duration.ofMillis(200)).withTimeout(Duration.ofMillis(300)).withMaxFailures(1))
			.build());
		await().atMost(WAIT).until(() -> this.server.pings() > 0);
		this.server.freeze();
		// Found dead; the next attempt hangs in its upgrade while the path stays frozen.
		await().atMost(WAIT).until(() -> this.server.tcpConnections() >= 2);
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTING);
		assertThat(this.server.connections()).isEqualTo(1);
		this.server.thaw();
		this.server.awaitConnections(2);
		await().atMost(WAIT).until(() -> client.state() == ConnectionState.CONNECTED);
	}

	@Test
	void aRefusedUpgradeIsFatal() {
		this.server.refuseUpgrade(401);
		WebsockexClient client = WebsockexClient.create("test", config(this.server).build());
		this.clients.add(client);
		client.start();
		await().atMost(WAIT).until(() -> client.metrics().disconnectReason() == DisconnectReason.FATAL_ERROR);
		assertThat(client.metrics().lastError()).contains("401");
		assertThat(this.server.upgradeRequests()).hasSize(1);
		assertThat(this.server.connections()).isZero();
	}

	@Test
	void malformedAndInvalidUtf8FramesLeaveTheClientConnected() {
		this.server.onRequest("public/get_time").reply("1");
		WebsockexClient client = connect(config(this.server).build());
		this.server.malformed();
		this.server.invalidUtf8();
		assertThat(client.request("public/get_time", Map.of()).block(WAIT).asInt()).isEqualTo(1);
		assertThat(this.server.connections()).isLessThanOrEqualTo(2);
		await().atMost(WAIT).until(() -> client.state() == ConnectionState.CONNECTED);
	}

	@Test
	void anOversizedFrameIsAnErrorTheClientRecoversFrom() {
		this.server.onRequest("public/get_time").reply("1");
		WebsockexClient client = connect(config(this.server).maxFrameSize(64 * 1024).build());
		this.server.oversize(256 * 1024);
		this.server.awaitConnections(2);
		await().atMost(WAIT).until(() -> client.state() == ConnectionState.CONNECTED);
		assertThat(client.request("public/get_time", Map.of()).block(WAIT).asInt()).isEqualTo(1);
	}

	@Test
	void closeAfterFailsThePendingRequestAndTheClientReconnects() {
		this.server.onRequest("public/get_time").reply("1");
		WebsockexClient client = connect(config(this.server).build());
		this.server.closeAfter(1);
		assertThatThrownBy(() -> client.request("public/get_time", Map.of()).block(WAIT))
			.isInstanceOf(ConnectionLostException.class);
		this.server.awaitConnections(2);
	}

	@Test
	void deribitAuthenticatesSetsTheHeartbeatAndKeepsTheConnectionByAnsweringTestRequests() {
		this.deribit.credentials("id", "secret").testRequestInterval(Duration.ofMillis(300));
		WebsockexClient client = connect(config(this.deribit).platform(Platforms.deribit())
			.auth(new Credentials("id", "secret"))
			.heartbeat(Heartbeat.deribit(Duration.ofSeconds(10)))
			.subscriptions(List.of("user.orders.any"))
			.build());
		this.deribit.awaitRequest("public/auth");
		assertThat(this.deribit.awaitRequest("public/set_heartbeat").get("interval").asInt()).isEqualTo(10);
		// Three test_requests answered: the server closes a connection that leaves one
		// unanswered at the next.
		for (int i = 0; i < 3; i++) {
			this.deribit.awaitRequest("public/test");
		}
		this.deribit.awaitSubscribed("user.orders.any");
		assertThat(this.deribit.methods()).contains("private/subscribe");
		assertThat(this.deribit.connections()).isEqualTo(1);
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
	}

	@Test
	void deribitRefusesWrongCredentialsAndTheClientStops() {
		this.deribit.credentials("id", "secret");
		WebsockexClient client = WebsockexClient.create("test",
				config(this.deribit).platform(Platforms.deribit()).auth(new Credentials("id", "wrong")).build());
		this.clients.add(client);
		client.start();
		await().atMost(WAIT).until(() -> client.metrics().disconnectReason() == DisconnectReason.FATAL_ERROR);
		assertThat(client.metrics().lastError()).contains("13004");
	}

	@Test
	void deribitsRateLimitAnswersTooManyRequests() {
		this.deribit.rateLimit(1000, 1, 500);
		WebsockexClient client = connect(config(this.deribit).platform(Platforms.deribit()).build());
		client.request("public/get_time", Map.of()).block(WAIT);
		client.request("public/get_time", Map.of()).block(WAIT);
		assertThatThrownBy(() -> client.request("public/get_time", Map.of()).block(WAIT))
			.isInstanceOfSatisfying(JsonRpcErrorException.class, (ex) -> {
				assertThat(ex.code()).isEqualTo(10028);
				assertThat(ex.errorMessage()).isEqualTo("too_many_requests");
			});
	}

}
