package io.websockex.adapter.internal.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.websockex.adapter.ClientClosedException;
import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.DisconnectReason;
import io.websockex.adapter.NotConnectedException;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexException;
import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.testing.LiveClients;
import io.websockex.adapter.testing.TransportUnderTest;
import io.websockex.adapter.test.TestConnection;
import io.websockex.adapter.test.WebsockexTestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connecting, echoing, closing, and failing to connect, against a real server.
 */
class ConnectionLifecycleTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@RegisterExtension
	final LiveClients live = LiveClients.raw();

	private WebsockexClient client;

	@BeforeEach
	void configureServer() {
		this.live.server().onText((session, text) -> session.send("echo:" + text));
		this.live.server().onBinary((session, bytes) -> session.sendBinary(bytes));
	}

	private WebsockexClient connect(Config.Builder config) {
		this.client = this.live.track(WebsockexClient.connect(config.build()).block(WAIT));
		return this.client;
	}

	@Test
	void echoesTextAndBinaryFrames() {
		WebsockexClient client = connect(Config.builder(this.live.server().url()));
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
		List<WebsockexMessage> received = new CopyOnWriteArrayList<>();
		client.messages().subscribe(received::add);
		client.send("hello").block(WAIT);
		client.send(new byte[] { 1, 2, 3 }).block(WAIT);
		await().atMost(WAIT).until(() -> received.size() == 2);
		assertThat(((WebsockexMessage.Text) received.get(0)).text()).isEqualTo("echo:hello");
		assertThat(((WebsockexMessage.Binary) received.get(1)).bytes()).containsExactly(1, 2, 3);
		assertThat(client.metrics().messagesSent()).isEqualTo(2);
		assertThat(client.metrics().messagesReceived()).isEqualTo(2);
		assertThat(client.metrics().bytesSent()).isEqualTo(8);
	}

	@Test
	void disconnectClosesWith1000KeepsTheStreamsOpenAndStartConnectsAgain() {
		WebsockexClient client = connect(Config.builder(this.live.server().url()));
		await().atMost(WAIT).until(() -> this.live.server().openConnections().size() == 1);
		TestConnection first = this.live.server().openConnections().get(0);
		List<String> received = new CopyOnWriteArrayList<>();
		List<ConnectionState> states = new CopyOnWriteArrayList<>();
		boolean[] completed = new boolean[1];
		client.messages()
			.subscribe((m) -> received.add(((WebsockexMessage.Text) m).text()), null, () -> completed[0] = true);
		client.states().subscribe(states::add, null, () -> completed[0] = true);
		client.disconnect().block(WAIT);
		await().atMost(WAIT).until(() -> first.closeCode() == 1000);
		assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
		assertThat(client.metrics().disconnectReason()).isEqualTo(DisconnectReason.CLOSED_BY_USER);
		StepVerifier.create(client.send("while disconnected"))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(ClientClosedException.class)
				.hasMessageContaining("is disconnected")
				.hasMessageContaining("start()"))
			.verify(WAIT);
		client.start();
		client.awaitConnected().block(WAIT);
		await().atMost(WAIT).until(() -> this.live.server().connections() == 2);
		client.send("again").block(WAIT);
		await().atMost(WAIT).until(() -> received.contains("echo:again"));
		assertThat(completed[0]).isFalse();
		assertThat(states).containsSubsequence(ConnectionState.CONNECTED, ConnectionState.DISCONNECTED,
				ConnectionState.CONNECTING, ConnectionState.CONNECTED);
		client.close().block(WAIT);
		await().atMost(WAIT).until(() -> completed[0]);
		client.start();
		assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
		assertThat(this.live.server().connections()).isEqualTo(2);
	}

	@Test
	void closeSendsCloseFrame1000AndEndsDisconnectedByUser() {
		WebsockexClient client = connect(Config.builder(this.live.server().url()));
		await().atMost(WAIT).until(() -> this.live.server().openConnections().size() == 1);
		TestConnection session = this.live.server().openConnections().get(0);
		client.close().block(WAIT);
		await().atMost(WAIT).until(() -> session.closeCode() == 1000);
		assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
		assertThat(client.metrics().disconnectReason()).isEqualTo(DisconnectReason.CLOSED_BY_USER);
		assertThat(this.live.server().connections()).isEqualTo(1);
	}

	@Test
	void aRequestedReconnectWorksEvenWithoutReconnectOnErrorAndIsNotAnError() {
		WebsockexClient client = connect(Config.builder(this.live.server().url()).reconnectOnError(false));
		await().atMost(WAIT).until(() -> this.live.server().openConnections().size() == 1);
		client.reconnect().block(WAIT);
		await().atMost(WAIT)
			.until(() -> this.live.server().connections() == 2 && client.state() == ConnectionState.CONNECTED);
		assertThat(client.metrics().reconnects()).isEqualTo(1);
		assertThat(client.metrics().lastError()).isNull();
	}

	@Test
	void sendWhileNotConnectedFailsAtOnceWithTheState() {
		this.client = this.live
			.track(TransportUnderTest.create("idle", Config.builder(this.live.server().url()).build()));
		StepVerifier.create(this.client.send("x"))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(NotConnectedException.class)
				.hasMessageContaining("'idle'")
				.hasMessageContaining("DISCONNECTED")
				.extracting((e) -> ((NotConnectedException) e).state())
				.isEqualTo(ConnectionState.DISCONNECTED))
			.verify(WAIT);
	}

	@Test
	void upgradeAnswered401IsFatalAfterExactlyOneAttempt() {
		this.live.server().refuseUpgrade(401);
		this.client = this.live.track(TransportUnderTest.create("auth",
				Config.builder(this.live.server().url()).retryDelay(Duration.ofMillis(50)).build()));
		List<ConnectionState> seen = new CopyOnWriteArrayList<>();
		this.client.states().subscribe(seen::add);
		this.client.start();
		await().atMost(WAIT).until(() -> this.client.metrics().disconnectReason() == DisconnectReason.FATAL_ERROR);
		assertThat(this.live.server().upgradeRequests().size()).isEqualTo(1);
		assertThat(this.client.metrics().connectionAttempts()).isEqualTo(1);
		assertThat(this.client.metrics().lastError()).contains("401");
		assertThat(seen).containsExactly(ConnectionState.DISCONNECTED, ConnectionState.CONNECTING,
				ConnectionState.DISCONNECTED);
	}

	@Test
	void awaitFirstAttemptReportsAFailedFirstAttemptAtOnceWhileRetriesGoOn() {
		this.live.server().refuseUpgrade(503);
		this.client = this.live.track(TransportUnderTest.create("flaky",
				Config.builder(this.live.server().url()).retryDelay(Duration.ofMillis(200)).build()));
		this.client.start();
		StepVerifier.create(this.client.awaitFirstAttempt())
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(WebsockexException.class)
				.hasMessageContaining("'flaky'")
				.hasMessageContaining("HTTP 503"))
			.verify(WAIT);
		assertThat(this.client.metrics().disconnectReason()).isNotEqualTo(DisconnectReason.FATAL_ERROR);

		this.live.server().acceptUpgrades();
		StepVerifier.create(this.client.awaitConnected()).expectComplete().verify(WAIT);
		this.client.disconnect().block(WAIT);
		this.client.start();
		StepVerifier.create(this.client.awaitFirstAttempt()).expectComplete().verify(WAIT);
	}

	@Test
	void invalidUtf8InATextFrameIsDeliveredAndKeepsTheConnection() {
		WebsockexClient client = connect(Config.builder(this.live.server().url()));
		List<WebsockexMessage> received = new CopyOnWriteArrayList<>();
		client.messages().subscribe(received::add);
		await().atMost(WAIT).until(() -> this.live.server().openConnections().size() == 1);
		this.live.server()
			.openConnections()
			.get(0)
			.sendFrame(new io.netty.handler.codec.http.websocketx.TextWebSocketFrame(
					io.netty.buffer.Unpooled.wrappedBuffer(new byte[] { 'o', 'k', (byte) 0xC3, (byte) 0x28 })));
		this.live.server().send("after");
		await().atMost(WAIT).until(() -> received.size() == 2);
		assertThat(((WebsockexMessage.Text) received.get(1)).text()).isEqualTo("after");
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
		assertThat(this.live.server().connections()).isEqualTo(1);
	}

	@Test
	void serverPingsAreAnswered() {
		WebsockexClient client = connect(Config.builder(this.live.server().url()));
		await().atMost(WAIT).until(() -> this.live.server().openConnections().size() == 1);
		this.live.server().openConnections().get(0).sendPing(new byte[] { 9 });
		await().atMost(WAIT).until(() -> this.live.server().pongs() == 1);
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
	}

}
