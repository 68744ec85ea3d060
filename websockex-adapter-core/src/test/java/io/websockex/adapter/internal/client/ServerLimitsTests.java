package io.websockex.adapter.internal.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.websockex.adapter.BufferOverflowException;
import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.test.RawFrameServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The limits a server cannot push past: handshake response headers, pings answered per
 * second, close reasons, notifications buffered per channel subscriber.
 */
class ServerLimitsTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private final List<WebsockexClient> clients = new CopyOnWriteArrayList<>();

	private final Queue<Integer> pongs = new ConcurrentLinkedQueue<>();

	private RawFrameServer server;

	@AfterEach
	void closeAll() throws Exception {
		this.clients.forEach((client) -> client.close().block(WAIT));
		if (this.server != null) {
			this.server.close();
			assertThat(this.server.errors()).isEmpty();
		}
	}

	private Config.Builder config() {
		return Config.builder(this.server.url())
			.retryDelay(Duration.ofMillis(20))
			.maxBackoff(Duration.ofMillis(20))
			.backoffJitter(0);
	}

	private WebsockexClient start(Config config, List<String> received) {
		WebsockexClient client = WebsockexClient.create("limits", config);
		this.clients.add(client);
		client.messages().subscribe((message) -> received.add(((WebsockexMessage.Text) message).text()));
		client.start();
		return client;
	}

	@Test
	void aPingFloodIsAnsweredOnlyUpToPingRepliesPerSecondAndReadingGoesOn() throws Exception {
		ByteArrayOutputStream flood = new ByteArrayOutputStream();
		for (int i = 0; i < 20_000; i++) {
			flood.writeBytes(RawFrameServer.Connection.frame(true, 0, RawFrameServer.PING, new byte[] { 1, 2 }, false));
		}
		flood.writeBytes(RawFrameServer.Connection.frame(true, 0, RawFrameServer.TEXT,
				"after the flood".getBytes(StandardCharsets.UTF_8), false));
		this.server = RawFrameServer.start((connection, index) -> {
			connection.writeRaw(flood.toByteArray());
			connection.awaitClientClose();
			this.pongs.add(connection.pongs());
		});
		List<String> received = new CopyOnWriteArrayList<>();
		WebsockexClient client = start(config().pingRepliesPerSecond(10).build(), received);

		await().atMost(WAIT).until(() -> received.contains("after the flood"));
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
		client.close().block(WAIT);
		await().atMost(WAIT).until(() -> !this.pongs.isEmpty());
		// One window, or two if the flood straddled a second.
		assertThat(this.pongs.peek()).isBetween(1, 20);
	}

	@Test
	void anUpgradeResponseWithHeadersOverTheBoundFailsTheAttemptUnlessTheBoundIsRaised() throws Exception {
		this.server = RawFrameServer.start((connection, index) -> connection.awaitClientClose());
		this.server.extraResponseHeaders(("X-Padding: " + "p".repeat(1000) + "\r\n").repeat(12));
		WebsockexClient bounded = start(config().build(), new CopyOnWriteArrayList<>());

		await().atMost(WAIT).until(() -> bounded.metrics().connectionFailures() >= 2);
		assertThat(bounded.state()).isEqualTo(ConnectionState.CONNECTING);
		assertThat(bounded.metrics().lastError()).contains("max-handshake-header-size");
		bounded.close().block(WAIT);

		WebsockexClient raised = start(config().maxHandshakeHeaderSize(16 * 1024).build(),
				new CopyOnWriteArrayList<>());
		raised.awaitConnected().block(WAIT);
		assertThat(raised.state()).isEqualTo(ConnectionState.CONNECTED);
	}

	@Test
	void aServersCloseReasonReachesLastErrorOnOneLine() throws Exception {
		String reason = "first line\r\nsecond line\u0000" + "r".repeat(123 - 24);
		byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
		byte[] payload = new byte[2 + utf8.length];
		payload[0] = (byte) (4000 >>> 8);
		payload[1] = (byte) 4000;
		System.arraycopy(utf8, 0, payload, 2, utf8.length);
		assertThat(payload).hasSize(125);
		this.server = RawFrameServer.start((connection, index) -> {
			if (index == 0) {
				connection.writeFrame(true, 0, RawFrameServer.CLOSE, payload);
			}
			connection.awaitClientClose();
		});
		WebsockexClient client = start(config().build(), new CopyOnWriteArrayList<>());

		await().atMost(WAIT).until(() -> this.server.connections() == 2 && client.state() == ConnectionState.CONNECTED);
		assertThat(client.metrics().lastError()).contains("4000")
			.contains("first line  second line ")
			.doesNotContain("\n")
			.doesNotContain("\r")
			.doesNotContain("\u0000");
	}

	@Test
	void aChannelSubscriberThatFallsBehindANotificationFloodGetsBufferOverflowAndTheConnectionStays() throws Exception {
		ByteArrayOutputStream frames = new ByteArrayOutputStream();
		for (int i = 0; i < 500; i++) {
			frames.writeBytes(RawFrameServer.Connection.frame(true, 0, RawFrameServer.TEXT,
					("{\"jsonrpc\":\"2.0\",\"method\":\"subscription\",\"params\":{\"channel\":\"feed\",\"data\":" + i
							+ "}}")
						.getBytes(StandardCharsets.UTF_8),
					false));
		}
		frames.writeBytes(RawFrameServer.Connection.frame(true, 0, RawFrameServer.TEXT,
				"still here".getBytes(StandardCharsets.UTF_8), false));
		this.server = RawFrameServer.start((connection, index) -> {
			connection.writeRaw(frames.toByteArray());
			connection.awaitClientClose();
		});
		WebsockexClient client = WebsockexClient.create("limits", config().inboundBuffer(16).build());
		this.clients.add(client);
		AtomicReference<Throwable> error = new AtomicReference<>();
		List<JsonNode> taken = new CopyOnWriteArrayList<>();
		BaseSubscriber<JsonNode> stalled = new BaseSubscriber<>() {

			@Override
			protected void hookOnSubscribe(Subscription subscription) {
				request(1);
			}

			@Override
			protected void hookOnNext(JsonNode value) {
				taken.add(value);
			}

			@Override
			protected void hookOnError(Throwable throwable) {
				error.set(throwable);
			}

		};
		client.channel("feed").subscribe(stalled);
		List<String> received = new CopyOnWriteArrayList<>();
		client.messages().subscribe((message) -> received.add(((WebsockexMessage.Text) message).text()));
		client.start();

		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(received).as(() -> client.metrics().toString()).contains("still here"));
		assertThat(received).hasSize(501);
		assertThat(client.metrics().inboundOverflows()).isEqualTo(1);
		// What was buffered is still delivered, then the overflow: nothing is dropped
		// silently, and nothing past the buffer was kept.
		stalled.requestUnbounded();
		await().atMost(WAIT).until(() -> error.get() != null);
		assertThat(error.get()).isInstanceOf(BufferOverflowException.class).hasMessageContaining("inbound-buffer");
		assertThat(taken).hasSize(17);
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
		assertThat(this.server.connections()).isEqualTo(1);
	}

}
