package io.websockex.adapter.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link RawFrameServer} against a real client and a bare socket: the upgrade it answers,
 * the bytes it writes, what it reads back, and the deflate payloads it builds.
 */
class RawFrameServerTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private RawFrameServer server;

	@AfterEach
	void stop() throws IOException {
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void aClientReceivesTheFramesAScriptWritesAndTheScriptReadsItsCloseCode() throws IOException {
		Queue<Integer> closeCodes = new ConcurrentLinkedQueue<>();
		this.server = RawFrameServer.start((connection, index) -> {
			connection.writeFrame(true, 0, RawFrameServer.TEXT, utf8("whole"));
			connection.writeFrame(false, 0, RawFrameServer.TEXT, utf8("in "));
			connection.writeFrame(true, 0, RawFrameServer.CONTINUATION, utf8("parts"));
			closeCodes.add(connection.awaitClientClose());
		});
		try (RawClient client = RawClient.connect(this.server.url())) {
			assertThat(client.next()).isEqualTo("whole");
			assertThat(client.next()).isEqualTo("in parts");
		}
		await().atMost(WAIT).until(() -> !closeCodes.isEmpty());
		// Reactor Netty's client ends with a close frame without a status code: 1005.
		assertThat(closeCodes).containsExactly(1005);
		assertThat(this.server.connections()).isEqualTo(1);
		assertThat(this.server.errors()).isEmpty();
	}

	@Test
	void answersTheUpgradeWithTheAcceptKeyAndTheExtraHeadersThenWritesTheScriptsBytesAsGiven() throws IOException {
		byte[] lyingLength = { (byte) 0x81, 0x7F, 0, 0, 0, 0, 0, 0, 0, 5, 'h' };
		this.server = RawFrameServer.start((connection, index) -> {
			connection.writeRaw(lyingLength);
			connection.awaitClientClose();
		});
		this.server.extraResponseHeaders("X-Hostile: yes\r\n");
		try (Socket socket = new Socket("127.0.0.1", URI.create(this.server.url()).getPort())) {
			socket.setSoTimeout((int) WAIT.toMillis());
			// The sample key and accept value of RFC 6455, section 1.3.
			socket.getOutputStream()
				.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
						+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			String response = readHead(socket.getInputStream());
			assertThat(response).startsWith("HTTP/1.1 101 Switching Protocols\r\n")
				.contains("X-Hostile: yes\r\n", "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n")
				.doesNotContain("permessage-deflate");
			assertThat(socket.getInputStream().readNBytes(lyingLength.length)).isEqualTo(lyingLength);
		}
		await().atMost(WAIT).until(() -> this.server.connections() == 1);
	}

	@Test
	void keepsWhatAScriptThrowsAndServesTheNextConnection() throws IOException {
		this.server = RawFrameServer.start((connection, index) -> {
			if (index == 0) {
				throw new IllegalStateException("script failed on purpose");
			}
			connection.writeFrame(true, 0, RawFrameServer.TEXT, utf8("second"));
			connection.awaitClientClose();
		});
		try (RawClient first = RawClient.connect(this.server.url())) {
			// The failed script's connection is closed (awaitEnd fails after 10 s
			// otherwise).
			first.awaitEnd();
		}
		await().atMost(WAIT).until(() -> !this.server.errors().isEmpty());
		assertThat(this.server.errors()).singleElement()
			.satisfies((error) -> assertThat(error).hasMessage("script failed on purpose"));
		try (RawClient second = RawClient.connect(this.server.url())) {
			assertThat(second.next()).isEqualTo("second");
		}
		assertThat(this.server.connections()).isEqualTo(2);
	}

	@Test
	void closeEndsTheConnectionOfAScriptThatIsStillWaiting() throws IOException {
		this.server = RawFrameServer.start((connection, index) -> connection.awaitClientClose());
		try (RawClient client = RawClient.connect(this.server.url())) {
			await().atMost(WAIT).until(() -> this.server.connections() == 1);
			this.server.close();
			client.awaitEnd();
		}
		assertThat(this.server.errors()).isEmpty();
	}

	@Test
	void deflatePayloadsInflateToTheirMessages() throws DataFormatException {
		byte[] message = utf8("{\"price\":1}".repeat(20));
		assertThat(inflate(RawFrameServer.deflate(message))).isEqualTo(message);
		byte[] repeated = inflate(RawFrameServer.deflateRepeated(utf8("ab"), 1000));
		assertThat(new String(repeated, StandardCharsets.UTF_8)).isEqualTo("ab".repeat(1000));
		List<byte[]> fragments = RawFrameServer.deflateFragments(utf8("first "), utf8("second"));
		assertThat(fragments).hasSize(2);
		try (Inflated inflater = new Inflated()) {
			assertThat(inflater.inflate(fragments.get(0), false)).isEqualTo(utf8("first "));
			assertThat(inflater.inflate(fragments.get(1), true)).isEqualTo(utf8("second"));
		}
		Inflater finished = new Inflater(true);
		try {
			finished.setInput(RawFrameServer.deflateFinished(message));
			byte[] out = new byte[message.length];
			assertThat(finished.inflate(out)).isEqualTo(message.length);
			assertThat(finished.finished()).as("one complete deflate stream").isTrue();
			assertThat(out).isEqualTo(message);
		}
		finally {
			finished.end();
		}
	}

	private static byte[] inflate(byte[] payload) throws DataFormatException {
		try (Inflated inflater = new Inflated()) {
			return inflater.inflate(payload, true);
		}
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
			int b = in.read();
			assertThat(b).as("the upgrade response ends with an empty line").isNotNegative();
			head.write(b);
		}
		return head.toString(StandardCharsets.US_ASCII);
	}

	/** A permessage-deflate receiver: one inflater for the whole connection. */
	private static final class Inflated implements AutoCloseable {

		private final Inflater inflater = new Inflater(true);

		byte[] inflate(byte[] payload, boolean lastFragment) throws DataFormatException {
			// RFC 7692 7.2.2: the receiver appends the 4 octets the sender removed.
			byte[] input = payload;
			if (lastFragment) {
				input = java.util.Arrays.copyOf(payload, payload.length + 4);
				input[payload.length + 2] = (byte) 0xFF;
				input[payload.length + 3] = (byte) 0xFF;
			}
			this.inflater.setInput(input);
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] buffer = new byte[1024];
			int n;
			while ((n = this.inflater.inflate(buffer)) > 0) {
				out.write(buffer, 0, n);
			}
			return out.toByteArray();
		}

		@Override
		public void close() {
			this.inflater.end();
		}

	}

}
