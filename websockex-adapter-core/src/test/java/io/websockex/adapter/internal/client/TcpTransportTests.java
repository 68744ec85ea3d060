package io.websockex.adapter.internal.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
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
import org.junit.jupiter.api.Test;
import reactor.netty.http.HttpResources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link TcpTransport} against a server that answers the upgrade byte by byte as each
 * test scripts it: answers split anywhere, frames in the same write as the answer,
 * refusals, and answers a client must fail. Also which transport a client gets.
 */
class TcpTransportTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private final List<WebsockexClient> clients = new CopyOnWriteArrayList<>();

	private ScriptedServer server;

	@AfterEach
	void closeAll() throws IOException {
		this.clients.forEach((client) -> client.close().block(WAIT));
		if (this.server != null) {
			this.server.close();
		}
	}

	@Test
	void anAnswerSplitIntoSingleBytesWithAFrameBehindItConnects() throws Exception {
		byte[] hello = RawFrameServer.Connection.frame(true, 0, RawFrameServer.TEXT,
				"hello".getBytes(StandardCharsets.UTF_8), false);
		this.server = new ScriptedServer((key, out) -> {
			byte[] answer = concat(accepted(key).getBytes(StandardCharsets.US_ASCII), hello);
			for (byte b : answer) {
				out.write(b);
				out.flush();
			}
			return true;
		});
		List<String> texts = new CopyOnWriteArrayList<>();
		WebsockexClient client = start(config().build(), texts);

		await().atMost(WAIT).until(() -> texts.contains("hello"));
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
	}

	@Test
	void framesInTheSameWriteAsTheAnswerAreAllReceivedInOrder() throws Exception {
		ByteArrayOutputStream frames = new ByteArrayOutputStream();
		for (int i = 0; i < 50; i++) {
			frames.writeBytes(RawFrameServer.Connection.frame(true, 0, RawFrameServer.TEXT,
					("m" + i).getBytes(StandardCharsets.UTF_8), false));
		}
		this.server = new ScriptedServer((key, out) -> {
			out.write(concat(accepted(key).getBytes(StandardCharsets.US_ASCII), frames.toByteArray()));
			out.flush();
			return true;
		});
		List<String> texts = new CopyOnWriteArrayList<>();
		start(config().build(), texts);

		await().atMost(WAIT).until(() -> texts.size() == 50);
		assertThat(texts).first().isEqualTo("m0");
		assertThat(texts).last().isEqualTo("m49");
	}

	@Test
	void anAnswerWithBareLineFeedsConnects() throws Exception {
		this.server = new ScriptedServer((key, out) -> {
			out.write(accepted(key).replace("\r\n", "\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return true;
		});
		WebsockexClient client = start(config().build(), new CopyOnWriteArrayList<>());

		client.awaitConnected().block(WAIT);
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
	}

	@Test
	void closingDoesNotWaitForAServerThatNeverAnswersTheCloseFrame() throws Exception {
		Queue<Integer> codes = new ConcurrentLinkedQueue<>();
		this.server = new ScriptedServer(accepting(), codes);
		WebsockexClient client = start(config().shutdownTimeout(Duration.ofSeconds(30)).build(),
				new CopyOnWriteArrayList<>());
		client.awaitConnected().block(WAIT);

		// Well inside shutdown-timeout: the connection is closed once the close frame is
		// written.
		client.close().block(Duration.ofSeconds(5));
		await().atMost(WAIT).until(() -> codes.contains(1000));
	}

	@Test
	void aRefusedUpgradeStopsTheClientWithTheStatus() throws Exception {
		this.server = new ScriptedServer((key, out) -> {
			out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return false;
		});
		WebsockexClient client = start(config().build(), new CopyOnWriteArrayList<>());

		await().atMost(WAIT).until(() -> client.state() == ConnectionState.DISCONNECTED);
		assertThat(client.metrics().lastError()).contains("upgrade rejected with HTTP 403");
		assertThat(this.server.requests()).hasSize(1);
	}

	@Test
	void aWrongAcceptKeyFailsTheAttemptAndTheClientRetries() throws Exception {
		this.server = new ScriptedServer((key, out) -> {
			out.write(accepted("AAAAAAAAAAAAAAAAAAAAAA==").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return true;
		});
		WebsockexClient client = start(config().build(), new CopyOnWriteArrayList<>());

		await().atMost(WAIT).until(() -> client.metrics().connectionFailures() >= 2);
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTING);
		assertThat(client.metrics().lastError()).contains("upgrade response was incomplete or invalid")
			.contains("Sec-WebSocket-Accept");
	}

	@Test
	void aServerThatHangsUpBeforeAnsweringFailsTheAttempt() throws Exception {
		this.server = new ScriptedServer((key, out) -> {
			out.write("HTTP/1.1 101 Switching".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return false;
		});
		WebsockexClient client = start(config().build(), new CopyOnWriteArrayList<>());

		await().atMost(WAIT).until(() -> client.metrics().connectionFailures() >= 2);
		assertThat(client.metrics().lastError()).contains("connection closed during the upgrade");
	}

	@Test
	void aClientWithoutAnHttpClientCustomizerWritesItsOwnRequestAndOneWithACustomizerGetsReactorNettys()
			throws Exception {
		this.server = new ScriptedServer(accepting());
		Config config = config().header("X-Desk", "fx").build();
		WebsockexClient plain = track(WebsockexClient.create("plain", config));
		plain.start();
		plain.awaitConnected().block(WAIT);
		// The server serves one connection at a time.
		plain.close().block(WAIT);
		WebsockexClient customized = track(
				WebsockexClient.create("customized", config, (http) -> http.headers((h) -> h.set("X-Own", "1"))));
		customized.start();
		customized.awaitConnected().block(WAIT);

		await().atMost(WAIT).until(() -> this.server.requests().size() == 2);
		List<String> requests = List.copyOf(this.server.requests());
		assertThat(requests).allSatisfy((request) -> assertThat(request).contains("X-Desk: fx")
			.containsIgnoringCase("host: 127.0.0.1:" + this.server.port()));
		assertThat(requests).filteredOn((request) -> request.contains("User-Agent: websockex"))
			.singleElement()
			.satisfies((request) -> assertThat(request).doesNotContainIgnoringCase("x-own"));
		assertThat(requests).filteredOn((request) -> request.toLowerCase().contains("x-own: 1"))
			.singleElement()
			.satisfies((request) -> assertThat(request).doesNotContain("User-Agent: websockex"));
	}

	@Test
	void aClientMadeAfterTheSharedEventLoopsWereDisposedConnectsOnNewOnes() throws Exception {
		this.server = new ScriptedServer(accepting());
		WebsockexClient before = start(config().build(), new CopyOnWriteArrayList<>());
		before.awaitConnected().block(WAIT);
		before.close().block(WAIT);
		// What Spring's ReactorResourceFactory does when an application context closes.
		HttpResources.disposeLoopsAndConnections();

		WebsockexClient after = start(config().build(), new CopyOnWriteArrayList<>());
		after.awaitConnected().block(WAIT);
		assertThat(after.state()).isEqualTo(ConnectionState.CONNECTED);
	}

	@Test
	void theServersCloseIsAnsweredWithItsCodeAndTheClientReconnects() throws Exception {
		Queue<Integer> answered = new ConcurrentLinkedQueue<>();
		this.server = new ScriptedServer((key, out) -> {
			out.write(concat(accepted(key).getBytes(StandardCharsets.US_ASCII), RawFrameServer.Connection.frame(true, 0,
					RawFrameServer.CLOSE, new byte[] { 0x03, (byte) 0xF1 }, false)));
			out.flush();
			return true;
		}, answered);
		WebsockexClient client = start(config().build(), new CopyOnWriteArrayList<>());

		await().atMost(WAIT).until(() -> answered.size() >= 2);
		assertThat(answered).allMatch((code) -> code == 1009);
		assertThat(client.metrics().lastError()).contains("1009");
	}

	private Config.Builder config() {
		return Config.builder("ws://127.0.0.1:" + this.server.port() + "/feed?x=1")
			.retryDelay(Duration.ofMillis(20))
			.maxBackoff(Duration.ofMillis(20))
			.backoffJitter(0);
	}

	private WebsockexClient track(WebsockexClient client) {
		this.clients.add(client);
		return client;
	}

	private WebsockexClient start(Config config, List<String> texts) {
		WebsockexClient client = track(WebsockexClient.create("tcp", config));
		client.messages().ofType(WebsockexMessage.Text.class).subscribe((text) -> texts.add(text.text()), (error) -> {
		});
		client.start();
		return client;
	}

	// Accepts every upgrade, and writes nothing else.
	private static ScriptedServer.Answer accepting() {
		return (key, out) -> {
			out.write(accepted(key).getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return true;
		};
	}

	private static String accepted(String key) throws Exception {
		byte[] digest = MessageDigest.getInstance("SHA-1")
			.digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
		return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
				+ "Sec-WebSocket-Accept: " + Base64.getEncoder().encodeToString(digest) + "\r\n\r\n";
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = new byte[first.length + second.length];
		System.arraycopy(first, 0, both, 0, first.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

	/** Answers each upgrade as scripted; one connection at a time, on 127.0.0.1. */
	private static final class ScriptedServer implements AutoCloseable {

		private final ServerSocket socket;

		private final Thread acceptor;

		private final Queue<String> requests = new ConcurrentLinkedQueue<>();

		private volatile boolean closed;

		private volatile Socket current;

		ScriptedServer(Answer answer) throws IOException {
			this(answer, new ConcurrentLinkedQueue<>());
		}

		// closeCodes: the code of each close frame the client sends.
		ScriptedServer(Answer answer, Queue<Integer> closeCodes) throws IOException {
			this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			this.acceptor = new Thread(() -> {
				while (!this.closed) {
					try (Socket client = this.socket.accept()) {
						this.current = client;
						client.setSoTimeout(10_000);
						String request = readHead(client.getInputStream());
						this.requests.add(request);
						String key = request.replaceAll("(?si).*Sec-WebSocket-Key: ([^\r]+)\r\n.*", "$1");
						if (answer.apply(key, client.getOutputStream())) {
							Integer code = readCloseCode(client.getInputStream());
							if (code != null) {
								closeCodes.add(code);
							}
							// Never answers the close: waits for the client to hang up.
							while (client.getInputStream().read() >= 0) {
								// Drop whatever comes.
							}
						}
					}
					catch (Exception ex) {
						// The client or close() hung up.
					}
				}
			}, "scripted-upgrade-server");
			this.acceptor.setDaemon(true);
			this.acceptor.start();
		}

		int port() {
			return this.socket.getLocalPort();
		}

		Queue<String> requests() {
			return this.requests;
		}

		private static String readHead(InputStream in) throws IOException {
			ByteArrayOutputStream head = new ByteArrayOutputStream();
			int matched = 0;
			while (matched < 4) {
				int b = in.read();
				if (b < 0) {
					throw new IOException("closed before the request's end");
				}
				head.write(b);
				matched = (b == ((matched % 2 == 0) ? '\r' : '\n')) ? matched + 1 : ((b == '\r') ? 1 : 0);
			}
			return head.toString(StandardCharsets.ISO_8859_1);
		}

		// The first frame the client sends, if it is a close: its code (masked payload).
		private static Integer readCloseCode(InputStream in) throws IOException {
			int first = in.read();
			int second = in.read();
			if (first < 0 || second < 0 || (first & 0x0F) != RawFrameServer.CLOSE) {
				return null;
			}
			byte[] mask = in.readNBytes(4);
			byte[] payload = in.readNBytes(second & 0x7F);
			if (payload.length < 2) {
				return 1005;
			}
			return (((payload[0] ^ mask[0]) & 0xFF) << 8) | ((payload[1] ^ mask[1]) & 0xFF);
		}

		@Override
		public void close() throws IOException {
			this.closed = true;
			this.socket.close();
			Socket client = this.current;
			if (client != null) {
				client.close();
			}
			try {
				this.acceptor.join(10_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		/** Writes the answer to one upgrade; returns whether to keep the connection. */
		@FunctionalInterface
		interface Answer {

			boolean apply(String key, OutputStream out) throws Exception;

		}

	}

}
