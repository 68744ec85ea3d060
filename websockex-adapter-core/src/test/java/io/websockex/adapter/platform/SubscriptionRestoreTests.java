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
import io.websockex.adapter.testing.LiveClients;
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
	final LiveClients live = LiveClients.deribit();

	private WebsockexClient client;

	@BeforeEach
	void configureServer() {
		this.live.server().credentials("id", "right-secret").noRateLimit();
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
		this.live.server().awaitSubscribed("book.BTC-PERPETUAL.100ms");
		client.subscribe("ticker.BTC-PERPETUAL.raw", "trades.BTC-PERPETUAL.raw").block(WAIT);
		List<JsonNode> ticks = new CopyOnWriteArrayList<>();
		client.channel("ticker.BTC-PERPETUAL.raw").subscribe(ticks::add);
		this.live.server().push("ticker.BTC-PERPETUAL.raw", Map.of("last_price", 1));
		await().atMost(WAIT).until(() -> ticks.size() == 1);

		this.live.server().clearReceived();
		this.live.server().drop();
		await().atMost(WAIT).until(() -> this.live.server().methods().size() >= 2);
		assertThat(this.live.server().methods()).containsExactly("public/auth", "private/subscribe");
		JsonNode restore = this.live.server().requests().get(1);
		assertThat(restore.get("params").get("channels").valueStream().map(JsonNode::asString))
			.containsExactly("book.BTC-PERPETUAL.100ms", "ticker.BTC-PERPETUAL.raw", "trades.BTC-PERPETUAL.raw");

		this.live.server().push("ticker.BTC-PERPETUAL.raw", Map.of("last_price", 2));
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
		assertThat(this.live.server().methods()).containsExactly("public/subscribe");
	}

	@Test
	void unsubscribeRemovesChannelsFromTheRestoreSet() {
		WebsockexClient client = start(deribit().build());
		client.awaitConnected().block(WAIT);
		client.subscribe("a", "b").block(WAIT);
		client.unsubscribe("a").block(WAIT);
		assertThat(client.subscriptions()).containsExactly("b");
		await().atMost(WAIT).until(() -> this.live.server().openConnections().size() == 1);
		this.live.server().clearReceived();
		this.live.server().drop();
		await().atMost(WAIT).until(() -> this.live.server().methods().contains("public/subscribe"));
		JsonNode restore = this.live.server().requests().get(0);
		assertThat(restore.get("params").get("channels").valueStream().map(JsonNode::asString)).containsExactly("b");
	}

	@Test
	void withRestoreSubscriptionsOffOnlyTheConfiguredChannelsComeBack() {
		WebsockexClient client = start(deribit().restoreSubscriptions(false).subscriptions(List.of("cfg")).build());
		client.awaitConnected().block(WAIT);
		client.subscribe("user").block(WAIT);
		await().atMost(WAIT).until(() -> this.live.server().openConnections().size() == 1);
		this.live.server().clearReceived();
		this.live.server().drop();
		await().atMost(WAIT).until(() -> this.live.server().methods().contains("public/subscribe"));
		JsonNode restore = this.live.server().requests().get(0);
		assertThat(restore.get("params").get("channels").valueStream().map(JsonNode::asString)).containsExactly("cfg");
		assertThat(client.subscriptions()).containsExactly("cfg");
	}

	@Test
	void subscribeWhileDisconnectedIsTrackedAndSentOnConnect() {
		WebsockexClient client = this.live.track(WebsockexClient.create("later", deribit().build()));
		this.client = client;
		client.subscribe("x").block(WAIT);
		assertThat(client.subscriptions()).containsExactly("x");
		assertThat(this.live.server().connections()).isZero();
		client.start();
		client.awaitConnected().block(WAIT);
		await().atMost(WAIT).until(() -> this.live.server().methods().contains("public/subscribe"));
		assertThat(this.live.server().methods()).containsExactly("public/subscribe");
		JsonNode restore = this.live.server().requests().get(0);
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
		assertThat(this.live.server().connections()).isEqualTo(1);
		assertThat(this.live.server().methods()).containsExactly("public/auth");
	}

	@Test
	void aTransientAuthErrorIsRetriedWithBackoffNotFatal() {
		this.live.server().onRequest("public/auth").error(10028, "too_many_requests");
		WebsockexClient client = start(deribit().auth(new Credentials("id", "right-secret")).build());
		await().atMost(WAIT).until(() -> this.live.server().connections() >= 3);
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
		this.live.server().onRequest("feed/subscribe").reply("\"ok\"");
		client.awaitConnected().block(WAIT);
		List<JsonNode> updates = new CopyOnWriteArrayList<>();
		client.channel("prices").subscribe(updates::add);
		client.subscribe("prices").block(WAIT);
		this.live.server().send("{\"method\":\"feed/update\",\"params\":{\"channel\":\"prices\",\"data\":{\"p\":7}}}");
		await().atMost(WAIT).until(() -> updates.size() == 1);
		assertThat(updates.get(0).get("p").asInt()).isEqualTo(7);
	}

}
