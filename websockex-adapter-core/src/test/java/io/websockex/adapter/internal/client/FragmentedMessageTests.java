package io.websockex.adapter.internal.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.testing.LiveClients;
import io.websockex.adapter.test.TestConnection;
import io.websockex.adapter.test.WebsockexTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Messages that the server splits into fragments arrive whole, within
 * {@code max-frame-size} for the whole message, against a real server.
 */
class FragmentedMessageTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@RegisterExtension
	final LiveClients live = LiveClients.raw();

	private WebsockexClient connect(Config config) {
		return this.live.connect("test", config);
	}

	private TestConnection session() {
		await().atMost(WAIT).until(() -> this.live.server().openConnections().size() == 1);
		return this.live.server().openConnections().get(0);
	}

	@Test
	void fragmentedTextAndBinaryMessagesArriveWholeAndInOrder() {
		WebsockexClient client = connect(Config.builder(this.live.server().url()).build());
		List<Object> received = new CopyOnWriteArrayList<>();
		client.messages()
			.subscribe((message) -> received.add((message instanceof WebsockexMessage.Text text) ? text.text()
					: List.of(toBoxed(((WebsockexMessage.Binary) message).bytes()))));
		TestConnection session = session();
		session.send("first");
		session.sendFrame(new TextWebSocketFrame(false, 0, "he"));
		// A control frame may come between the fragments of a message.
		session.sendFrame(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[] { 7 })));
		session.sendFrame(new ContinuationWebSocketFrame(false, 0, "ll"));
		session.sendFrame(new ContinuationWebSocketFrame(true, 0, "o"));
		session.sendFrame(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[] { 1, 2 })));
		session.sendFrame(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[] { 3 })));
		session.send("last");
		await().atMost(WAIT).until(() -> received.size() == 4);
		assertThat(received).containsExactly("first", "hello", List.of((byte) 1, (byte) 2, (byte) 3), "last");
		assertThat(client.metrics().messagesReceived()).isEqualTo(4);
		assertThat(client.metrics().bytesReceived()).isEqualTo("first".length() + 5 + 3 + "last".length());
		await().atMost(WAIT).until(() -> this.live.server().pongs() == 1);
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
	}

	@Test
	void aFragmentedMessageOverMaxFrameSizeEndsThatSessionAndTheClientReconnects() {
		WebsockexClient client = connect(Config.builder(this.live.server().url())
			.maxFrameSize(1024)
			.retryDelay(Duration.ofMillis(50))
			.maxBackoff(Duration.ofMillis(50))
			.backoffJitter(0)
			.build());
		List<String> received = new CopyOnWriteArrayList<>();
		client.messages().subscribe((message) -> received.add(((WebsockexMessage.Text) message).text()));
		TestConnection session = session();
		// Each fragment fits; the message does not.
		session.sendFrame(new TextWebSocketFrame(false, 0, "x".repeat(600)));
		session.sendFrame(new ContinuationWebSocketFrame(true, 0, "y".repeat(600)));
		await().atMost(WAIT)
			.until(() -> this.live.server().connections() == 2 && this.live.server().openConnections().size() == 1
					&& client.state() == ConnectionState.CONNECTED);
		session().send("small");
		await().atMost(WAIT).until(() -> received.contains("small"));
		assertThat(received).containsExactly("small");
		assertThat(client.metrics().lastError()).contains("content length exceeded 1024 bytes");
	}

	private static Byte[] toBoxed(byte[] bytes) {
		Byte[] boxed = new Byte[bytes.length];
		for (int i = 0; i < bytes.length; i++) {
			boxed[i] = bytes[i];
		}
		return boxed;
	}

}
