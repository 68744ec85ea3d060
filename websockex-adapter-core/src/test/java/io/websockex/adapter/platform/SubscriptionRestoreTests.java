package io.websockex.adapter.platform;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.Credentials;
import io.websockex.adapter.DisconnectReason;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexException;
import io.websockex.adapter.test.DeribitResponder;
import io.websockex.adapter.test.LiveServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Subscriptions and authentication that survive reconnects, against a real server
 * speaking Deribit's shapes.
 */
class SubscriptionRestoreTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@RegisterExtension
	final LiveServer live = new LiveServer();

	private DeribitResponder responder;

	private WebsockexClient client;

	@BeforeEach
	void configureServer() {
		this.responder = new DeribitResponder(this.live.server(), "right-secret");
	}

	private Config.Builder deribit() {
		return Config.builder(this.live.server().url())
			.platform(Platforms.deribit())
			.retryDelay(Duration.ofMillis(50))
			.backoffJitter(0);
	}

	private WebsockexClient start(Config config) {
		this.client = this.live.track(WebsockexClient.create("deribit", config));
		this.client.start();
		return this.client;
	}

	@Test
	void afterADropTheServerSeesAuthThenOneSubscribeWithEveryChannelAndTheSameSubscriberKeepsReceiving() {
		WebsockexClient client = start(deribit().auth(new Credentials("id", "right-secret"))
			.subscriptions(List.of("book.BTC-PERPETUAL.100ms"))
			.build());
		client.awaitConnected().block(WAIT);
		await().atMost(WAIT).until(() -> this.responder.methods().contains("private/subscribe"));
		client.subscribe("ticker.BTC-PERPETUAL.raw", "trades.BTC-PERPETUAL.raw").block(WAIT);
		List<JsonNode> ticks = new CopyOnWriteArrayList<>();
		client.channel("ticker.BTC-PERPETUAL.raw").subscribe(ticks::add);
		this.responder.notify("ticker.BTC-PERPETUAL.raw", Map.of("last_price", 1));
		await().atMost(WAIT).until(() -> ticks.size() == 1);

		this.responder.calls().clear();
		this.live.server().dropAll();
		await().atMost(WAIT).until(() -> this.responder.methods().size() >= 2);
		assertThat(this.responder.methods()).containsExactly("public/auth", "private/subscribe");
		JsonNode restore = List.copyOf(this.responder.calls()).get(1);
		assertThat(restore.get("params").get("channels").valueStream().map(JsonNode::asString))
			.containsExactly("book.BTC-PERPETUAL.100ms", "ticker.BTC-PERPETUAL.raw", "trades.BTC-PERPETUAL.raw");

		this.responder.notify("ticker.BTC-PERPETUAL.raw", Map.of("last_price", 2));
		await().atMost(WAIT).until(() -> ticks.size() == 2);
		assertThat(ticks.get(1).get("last_price").asInt()).isEqualTo(2);
		assertThat(client.subscriptions()).containsExactly("book.BTC-PERPETUAL.100ms", "ticker.BTC-PERPETUAL.raw",
				"trades.BTC-PERPETUAL.raw");
	}

	@Test
	void withoutAuthTheDeribitDialectUsesPublicSubscribe() {
		WebsockexClient client = start(deribit().build());
		client.awaitConnected().block(WAIT);
		client.subscribe("ticker.ETH-PERPETUAL.raw").block(WAIT);
		assertThat(this.responder.methods()).containsExactly("public/subscribe");
	}

	@Test
	void unsubscribeRemovesChannelsFromTheRestoreSet() {
		WebsockexClient client = start(deribit().build());
		client.awaitConnected().block(WAIT);
		client.subscribe("a", "b").block(WAIT);
		client.unsubscribe("a").block(WAIT);
		assertThat(client.subscriptions()).containsExactly("b");
		await().atMost(WAIT).until(() -> this.live.server().sessions().size() == 1);
		this.responder.calls().clear();
		this.live.server().dropAll();
		await().atMost(WAIT).until(() -> this.responder.methods().contains("public/subscribe"));
		JsonNode restore = this.responder.calls().peek();
		assertThat(restore.get("params").get("channels").valueStream().map(JsonNode::asString)).containsExactly("b");
	}

	@Test
	void withRestoreSubscriptionsOffOnlyTheConfiguredChannelsComeBack() {
		WebsockexClient client = start(deribit().restoreSubscriptions(false).subscriptions(List.of("cfg")).build());
		client.awaitConnected().block(WAIT);
		client.subscribe("user").block(WAIT);
		await().atMost(WAIT).until(() -> this.live.server().sessions().size() == 1);
		this.responder.calls().clear();
		this.live.server().dropAll();
		await().atMost(WAIT).until(() -> this.responder.methods().contains("public/subscribe"));
		JsonNode restore = this.responder.calls().peek();
		assertThat(restore.get("params").get("channels").valueStream().map(JsonNode::asString)).containsExactly("cfg");
		assertThat(client.subscriptions()).containsExactly("cfg");
	}

	@Test
	void subscribeWhileDisconnectedIsTrackedAndSentOnConnect() {
		WebsockexClient client = this.live.track(WebsockexClient.create("later", deribit().build()));
		this.client = client;
		client.subscribe("x").block(WAIT);
		assertThat(client.subscriptions()).containsExactly("x");
		assertThat(this.live.server().upgrades()).isZero();
		client.start();
		client.awaitConnected().block(WAIT);
		await().atMost(WAIT).until(() -> this.responder.methods().contains("public/subscribe"));
		assertThat(this.responder.methods()).containsExactly("public/subscribe");
		JsonNode restore = this.responder.calls().peek();
		assertThat(restore.get("params").get("channels").valueStream().map(JsonNode::asString)).containsExactly("x");
	}

	@Test
	void aWrongSecretIsAClearFatalErrorWithoutATightReconnectLoop() {
		WebsockexClient client = start(deribit().auth(new Credentials("id", "wrong-secret-value")).build());
		await().atMost(WAIT)
			.until(() -> client.state() == ConnectionState.DISCONNECTED
					&& client.metrics().disconnectReason() != DisconnectReason.NOT_STARTED);
		assertThat(client.metrics().disconnectReason()).isEqualTo(DisconnectReason.FATAL_ERROR);
		assertThat(client.metrics().lastError()).contains("authentication rejected")
			.contains("invalid_credentials")
			.contains("auth.client-secret")
			.doesNotContain("wrong-secret-value");
		assertThat(this.live.server().upgrades()).isEqualTo(1);
		assertThat(this.responder.methods()).containsExactly("public/auth");
	}

	@Test
	void aTransientAuthErrorIsRetriedWithBackoffNotFatal() {
		this.responder.failWith("public/auth", 10028, "too_many_requests");
		WebsockexClient client = start(deribit().auth(new Credentials("id", "right-secret")).build());
		await().atMost(WAIT).until(() -> this.live.server().upgrades() >= 3);
		assertThat(client.metrics().disconnectReason()).isNotEqualTo(DisconnectReason.FATAL_ERROR);
		assertThat(client.metrics().lastError()).contains("too_many_requests");
		assertThat(client.state()).isNotEqualTo(ConnectionState.DISCONNECTED);
	}

	@Test
	void theRawPlatformRefusesSubscribeWithAClearError() {
		WebsockexClient client = start(Config.builder(this.live.server().url()).platform(Platforms.raw()).build());
		client.awaitConnected().block(WAIT);
		StepVerifier.create(client.subscribe("x"))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(WebsockexException.class)
				.hasMessageContaining("platform 'raw' has no subscriptions"))
			.verify(WAIT);
	}

	@Test
	void aCustomDialectNamesItsOwnMethods() {
		WebsockexClient client = start(Config.builder(this.live.server().url())
			.platform(Platforms.jsonRpc("feed/subscribe", "feed/unsubscribe", "feed/update"))
			.build());
		this.responder.on("feed/subscribe", (request) -> "ok");
		client.awaitConnected().block(WAIT);
		List<JsonNode> updates = new CopyOnWriteArrayList<>();
		client.channel("prices").subscribe(updates::add);
		client.subscribe("prices").block(WAIT);
		this.live.server()
			.broadcast("{\"method\":\"feed/update\",\"params\":{\"channel\":\"prices\",\"data\":{\"p\":7}}}");
		await().atMost(WAIT).until(() -> updates.size() == 1);
		assertThat(updates.get(0).get("p").asInt()).isEqualTo(7);
	}

}
