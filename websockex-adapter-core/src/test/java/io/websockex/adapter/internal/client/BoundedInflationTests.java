package io.websockex.adapter.internal.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.test.RawFrameServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code max-frame-size} bounds what a compressed message inflates to, for one frame and
 * for a whole fragmented message, before the bytes are allocated. Runs in the build's
 * heap-capped JVM ({@code -Xmx128m}): a bound that acted after the allocation would fail
 * there with an {@link OutOfMemoryError}.
 */
@Tag("heap-capped")
class BoundedInflationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final List<WebsockexClient> clients = new CopyOnWriteArrayList<>();

	private final Queue<Integer> closeCodes = new ConcurrentLinkedQueue<>();

	private RawFrameServer server;

	@AfterEach
	void closeAll() throws Exception {
		this.clients.forEach((client) -> client.close().block(WAIT));
		if (this.server != null) {
			this.server.close();
			assertThat(this.server.errors()).isEmpty();
		}
	}

	private WebsockexClient connect(int maxFrameSize, List<String> received) {
		Config config = Config.builder(this.server.url())
			.compression(true)
			.maxFrameSize(maxFrameSize)
			.retryDelay(Duration.ofMillis(20))
			.maxBackoff(Duration.ofMillis(20))
			.backoffJitter(0)
			.build();
		WebsockexClient client = WebsockexClient.create("bomb", config);
		this.clients.add(client);
		client.messages().subscribe((message) -> {
			String text = ((WebsockexMessage.Text) message).text();
			received.add((text.length() > 64) ? "length " + text.length() : text);
		});
		client.start();
		return client;
	}

	// First connection: the bomb, then wait for the client's close; later ones: a small
	// compressed message that proves the client is back and inflates normally.
	private RawFrameServer.Script bombThenGreeting(RawFrameServer.Script bomb) {
		return (connection, index) -> {
			assertThat(connection.deflate()).isTrue();
			if (index == 0) {
				bomb.run(connection, index);
			}
			else {
				byte[] greeting = RawFrameServer.deflate("back".getBytes(StandardCharsets.UTF_8));
				connection.writeFrame(true, RawFrameServer.RSV1, RawFrameServer.TEXT, greeting);
			}
			this.closeCodes.add(connection.awaitClientClose());
		};
	}

	@Test
	void aHundredMegabyteMessageOfRepeatedLettersEndsTheSessionWith1009AndTheClientReconnects() throws Exception {
		byte[] letters = "abcdefghijklmnopqrstuvwxyz".repeat(40_330).getBytes(StandardCharsets.US_ASCII);
		// 100 MB inflated, about 100 KB on the wire.
		byte[] bomb = RawFrameServer.deflateRepeated(letters, 100);
		assertThat(bomb.length).isLessThan(1024 * 1024);
		this.server = RawFrameServer.startWithDeflate(bombThenGreeting(
				(connection, index) -> connection.writeFrame(true, RawFrameServer.RSV1, RawFrameServer.TEXT, bomb)));
		List<String> received = new CopyOnWriteArrayList<>();
		WebsockexClient client = connect(10 * 1024 * 1024, received);

		await().atMost(WAIT).until(() -> received.contains("back"));
		assertThat(this.closeCodes).first().isEqualTo(1009);
		assertThat(received).containsExactly("back");
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
		assertThat(client.metrics().inboundTooLarge()).isEqualTo(1);
		assertThat(client.metrics().reconnects()).isEqualTo(1);
		assertThat(client.metrics().lastError()).contains("max-frame-size (10485760 bytes)").contains("1009");
	}

	@Test
	void aFragmentedCompressedMessageOverTheBoundOnlyWhenPutTogetherEndsTheSessionWith1009() throws Exception {
		byte[] part = "x".repeat(600 * 1024).getBytes(StandardCharsets.US_ASCII);
		List<byte[]> fragments = RawFrameServer.deflateFragments(part, part);
		this.server = RawFrameServer.startWithDeflate(bombThenGreeting((connection, index) -> {
			// Each fragment inflates to 600 KB, under the 1 MB bound; the message to 1.2
			// MB.
			connection.writeFrame(false, RawFrameServer.RSV1, RawFrameServer.TEXT, fragments.get(0));
			connection.writeFrame(true, 0, RawFrameServer.CONTINUATION, fragments.get(1));
		}));
		List<String> received = new CopyOnWriteArrayList<>();
		WebsockexClient client = connect(1024 * 1024, received);

		await().atMost(WAIT).until(() -> received.contains("back"));
		assertThat(this.closeCodes).first().isEqualTo(1009);
		assertThat(received).containsExactly("back");
		assertThat(client.metrics().inboundTooLarge()).isEqualTo(1);
	}

	@Test
	void aFragmentedCompressedMessageWithinTheBoundIsDeliveredWhole() throws Exception {
		byte[] part = "y".repeat(300 * 1024).getBytes(StandardCharsets.US_ASCII);
		List<byte[]> fragments = RawFrameServer.deflateFragments(part, "z".getBytes(StandardCharsets.US_ASCII), part);
		this.server = RawFrameServer.startWithDeflate((connection, index) -> {
			connection.writeFrame(false, RawFrameServer.RSV1, RawFrameServer.TEXT, fragments.get(0));
			// A ping may come between the fragments of a message (RFC 6455 5.4).
			connection.writeFrame(true, 0, RawFrameServer.PING, new byte[] { 1 });
			connection.writeFrame(false, 0, RawFrameServer.CONTINUATION, fragments.get(1));
			connection.writeFrame(true, 0, RawFrameServer.CONTINUATION, fragments.get(2));
			connection.writeFrame(true, RawFrameServer.RSV1, RawFrameServer.TEXT,
					RawFrameServer.deflate("next".getBytes(StandardCharsets.UTF_8)));
			this.closeCodes.add(connection.awaitClientClose());
		});
		List<String> received = new CopyOnWriteArrayList<>();
		WebsockexClient client = connect(1024 * 1024, received);

		await().atMost(WAIT).until(() -> received.size() == 2);
		assertThat(received).containsExactly("length " + (600 * 1024 + 1), "next");
		assertThat(client.metrics().inboundTooLarge()).isZero();
		assertThat(client.metrics().protocolErrors()).isZero();
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
	}

	@Test
	void aMessageThatEndsItsDeflateStreamIsDeliveredAndTheNextStartsAFreshOne() throws Exception {
		this.server = RawFrameServer.startWithDeflate((connection, index) -> {
			connection.writeFrame(true, RawFrameServer.RSV1, RawFrameServer.TEXT,
					RawFrameServer.deflateFinished("final block".getBytes(StandardCharsets.UTF_8)));
			connection.writeFrame(true, RawFrameServer.RSV1, RawFrameServer.TEXT,
					RawFrameServer.deflate("sync flushed".getBytes(StandardCharsets.UTF_8)));
			this.closeCodes.add(connection.awaitClientClose());
		});
		List<String> received = new CopyOnWriteArrayList<>();
		WebsockexClient client = connect(1024, received);

		await().atMost(WAIT).until(() -> received.size() == 2);
		assertThat(received).containsExactly("final block", "sync flushed");
		assertThat(client.metrics().protocolErrors()).isZero();
	}

	@Test
	void corruptCompressedDataEndsTheSessionWith1007() throws Exception {
		this.server = RawFrameServer.startWithDeflate(bombThenGreeting((connection, index) -> connection
			.writeFrame(true, RawFrameServer.RSV1, RawFrameServer.TEXT, new byte[] { (byte) 0xff, (byte) 0xff, 1 })));
		List<String> received = new CopyOnWriteArrayList<>();
		WebsockexClient client = connect(1024 * 1024, received);

		await().atMost(WAIT).until(() -> received.contains("back"));
		assertThat(this.closeCodes).first().isEqualTo(1007);
		assertThat(client.metrics().protocolErrors()).isEqualTo(1);
		assertThat(client.metrics().lastError()).contains("corrupt");
	}

}
