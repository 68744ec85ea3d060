package io.websockex.adapter.internal.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import io.websockex.adapter.BufferOverflowException;
import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.DisconnectReason;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.testing.LiveClients;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Losing the connection and getting it back, against a real server.
 */
class ReconnectTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@RegisterExtension
	final LiveClients live = LiveClients.raw();

	private Config.Builder fastRetries() {
		return Config.builder(this.live.server().url())
			.retryDelay(Duration.ofMillis(50))
			.maxBackoff(Duration.ofMillis(50))
			.backoffJitter(0);
	}

	private WebsockexClient connect(Config config) {
		return this.live.connect("test", config);
	}

	@Test
	void reconnectsAfterAServerDropAndTheSameSubscriberKeepsReceiving() {
		WebsockexClient client = connect(fastRetries().build());
		List<String> received = new CopyOnWriteArrayList<>();
		client.messages().subscribe((m) -> received.add(((WebsockexMessage.Text) m).text()));
		await().atMost(WAIT).until(() -> this.live.server().openConnections().size() == 1);
		this.live.server().send("before");
		await().atMost(WAIT).until(() -> received.contains("before"));

		this.live.server().drop();
		await().atMost(WAIT)
			.until(() -> this.live.server().connections() == 2 && client.state() == ConnectionState.CONNECTED
					&& this.live.server().openConnections().size() == 1);
		this.live.server().send("after");

		await().atMost(WAIT).until(() -> received.contains("after"));
		assertThat(client.metrics().reconnects()).isEqualTo(1);
		assertThat(client.metrics().lastError()).isEqualTo("connection closed without a close frame");
	}

	@Test
	void serverCloseWithAnyCodeIsRecoverable() {
		WebsockexClient client = connect(fastRetries().build());
		await().atMost(WAIT).until(() -> this.live.server().openConnections().size() == 1);
		this.live.server().openConnections().get(0).close(1011, "internal error");
		await().atMost(WAIT)
			.until(() -> this.live.server().connections() == 2 && client.state() == ConnectionState.CONNECTED);
		assertThat(client.metrics().lastError()).isEqualTo("server closed the connection with 1011 (internal error)");
	}

	@Test
	void retriesFollowTheBackoffAndConnectWhenTheServerReturns() {
		List<Long> attempts = new CopyOnWriteArrayList<>();
		Config config = Config.builder(this.live.server().url())
			.retryDelay(Duration.ofMillis(200))
			.maxBackoff(Duration.ofMillis(800))
			.backoffJitter(0)
			.build();
		WebsockexClient client = this.live.track(WebsockexClient.create("backoff", config,
				(http) -> http.doOnConnect((c) -> attempts.add(System.nanoTime()))));
		client.start();
		client.awaitConnected().block(WAIT);

		this.live.server().stop();
		// Expected delays after the loss: 200, 400, 800, 800 ms.
		await().atMost(WAIT).until(() -> attempts.size() >= 5);
		this.live.server().restart();
		long returned = System.nanoTime();
		await().atMost(WAIT).until(() -> client.state() == ConnectionState.CONNECTED);
		long reconnectedAfter = (System.nanoTime() - returned) / 1_000_000;

		List<Long> gaps = new ArrayList<>();
		for (int i = 2; i < 5; i++) {
			gaps.add((attempts.get(i) - attempts.get(i - 1)) / 1_000_000);
		}
		assertThat(gaps.get(0)).isBetween(350L, 1000L);
		assertThat(gaps.get(1)).isBetween(700L, 1600L);
		assertThat(gaps.get(2)).isBetween(700L, 1600L);
		assertThat(reconnectedAfter).as("CONNECTED within the current backoff plus a round trip").isLessThan(1800);
		assertThat(client.metrics().currentAttempt()).isZero();
	}

	@Test
	void givesUpAfterRetryCountFailedAttemptsInARow() {
		WebsockexClient client = connect(fastRetries().retryCount(2).build());
		await().atMost(WAIT).until(() -> this.live.server().openConnections().size() == 1);
		List<ConnectionState> states = new CopyOnWriteArrayList<>();
		client.states().subscribe(states::add);
		this.live.server().stop();
		await().atMost(WAIT).until(() -> client.state() == ConnectionState.DISCONNECTED);
		assertThat(client.metrics().disconnectReason()).isEqualTo(DisconnectReason.GAVE_UP);
		assertThat(client.metrics().connectionAttempts()).isEqualTo(3);
		assertThat(client.metrics().lastError()).isNotBlank();
		assertThat(states).containsExactly(ConnectionState.CONNECTED, ConnectionState.CONNECTING,
				ConnectionState.DISCONNECTED);
	}

	@Test
	void retryCountZeroNeverReconnects() {
		WebsockexClient client = connect(fastRetries().retryCount(0).build());
		await().atMost(WAIT).until(() -> this.live.server().openConnections().size() == 1);
		this.live.server().drop();
		await().atMost(WAIT).until(() -> client.state() == ConnectionState.DISCONNECTED);
		assertThat(client.metrics().disconnectReason()).isEqualTo(DisconnectReason.GAVE_UP);
		assertThat(this.live.server().connections()).isEqualTo(1);
	}

	@Test
	void reconnectOnErrorFalseEndsDisconnected() {
		WebsockexClient client = connect(fastRetries().reconnectOnError(false).build());
		await().atMost(WAIT).until(() -> this.live.server().openConnections().size() == 1);
		this.live.server().drop();
		await().atMost(WAIT).until(() -> client.state() == ConnectionState.DISCONNECTED);
		assertThat(client.metrics().disconnectReason()).isEqualTo(DisconnectReason.CONNECTION_LOST);
		assertThat(this.live.server().connections()).isEqualTo(1);
	}

	@Test
	void aSlowSubscriberOverflowsAloneAndTheConnectionStaysUp() {
		WebsockexClient client = connect(fastRetries().inboundBuffer(16).build());
		RecordingSubscriber<WebsockexMessage> slowSubscriber = RecordingSubscriber.requesting(1);
		client.messages().subscribe(slowSubscriber);
		List<WebsockexMessage> fast = new CopyOnWriteArrayList<>();
		client.messages().subscribe(fast::add);
		await().atMost(WAIT).until(() -> this.live.server().openConnections().size() == 1);
		for (int i = 0; i < 50; i++) {
			this.live.server().send("m" + i);
		}
		await().atMost(WAIT).until(() -> fast.size() == 50);
		// What was buffered is still delivered, then the overflow: nothing is dropped
		// silently.
		slowSubscriber.requestUnbounded();
		await().atMost(WAIT).until(() -> slowSubscriber.error() != null);
		assertThat(slowSubscriber.values()).hasSize(17);
		assertThat(slowSubscriber.error()).isInstanceOf(BufferOverflowException.class)
			.hasMessageContaining("'test'")
			.hasMessageContaining("inbound-buffer");
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
		assertThat(client.metrics().inboundOverflows()).isEqualTo(1);
		assertThat(this.live.server().connections()).isEqualTo(1);
	}

	@Test
	void anOversizeFrameEndsThatSessionAndTheClientReconnects() {
		WebsockexClient client = connect(fastRetries().maxFrameSize(1024).build());
		List<String> received = new CopyOnWriteArrayList<>();
		client.messages().subscribe((m) -> received.add(((WebsockexMessage.Text) m).text()));
		await().atMost(WAIT).until(() -> this.live.server().openConnections().size() == 1);
		this.live.server().send("x".repeat(4096));
		await().atMost(WAIT)
			.until(() -> this.live.server().connections() == 2 && this.live.server().openConnections().size() == 1
					&& client.state() == ConnectionState.CONNECTED);
		this.live.server().send("small");
		await().atMost(WAIT).until(() -> received.contains("small"));
		assertThat(received).containsExactly("small");
		assertThat(client.metrics().lastError()).containsIgnoringCase("frame");
	}

	@Test
	void aHundredForcedDropsLeaveNoExtraThreads() {
		WebsockexClient client = connect(
				fastRetries().retryDelay(Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(5)).build());
		// Netty starts each event loop's thread on its first channel: ten reconnects go
		// round every loop, so the baseline holds every thread the pools start lazily.
		for (int i = 1; i <= 10; i++) {
			dropAndAwaitReconnect(client, i);
		}
		Set<String> baseline = clientThreads();
		for (int i = 11; i <= 110; i++) {
			dropAndAwaitReconnect(client, i);
		}
		assertThat(client.metrics().reconnects()).isEqualTo(110);
		assertThat(baseline).anyMatch((name) -> name.startsWith("reactor-http-"));
		// By count, not name: an idle pool thread may retire and another take its place.
		Set<String> after = clientThreads();
		assertThat(after.size()).as("client threads after 100 more drops: %s, before: %s", after, baseline)
			.isLessThanOrEqualTo(baseline.size());
	}

	/**
	 * The live threads a client can run on: Reactor Netty's event loops and Reactor's
	 * schedulers (the client makes no thread of its own, and any it did would carry
	 * "websockex" in its name), not the JVM's, JUnit's or Awaitility's.
	 */
	private static Set<String> clientThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.startsWith("reactor-") || name.startsWith("parallel-")
					|| name.startsWith("boundedElastic-") || name.startsWith("single-")
					|| name.toLowerCase(java.util.Locale.ROOT).contains("websockex"))
			.collect(Collectors.toSet());
	}

	private void dropAndAwaitReconnect(WebsockexClient client, int expectedReconnects) {
		await().atMost(WAIT)
			.pollInterval(Duration.ofMillis(2))
			.until(() -> this.live.server().openConnections().size() == 1);
		this.live.server().drop();
		await().atMost(WAIT)
			.pollInterval(Duration.ofMillis(2))
			.until(() -> client.metrics().reconnects() == expectedReconnects
					&& client.state() == ConnectionState.CONNECTED);
	}

	@Test
	void moreClientsThanTheDefaultPoolHoldConnectToOneServer() {
		List<WebsockexClient> clients = new ArrayList<>();
		for (int i = 0; i < 24; i++) {
			clients.add(connect(fastRetries().build()));
		}
		await().atMost(WAIT).until(() -> this.live.server().openConnections().size() == 24);
		assertThat(clients).allMatch((c) -> c.state() == ConnectionState.CONNECTED);
	}

}
