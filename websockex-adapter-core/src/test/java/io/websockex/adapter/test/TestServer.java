package io.websockex.adapter.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * A real WebSocket server on 127.0.0.1 for tests, built on Reactor Netty. Records every
 * frame it receives, can push frames, drop connections without a close frame, reject
 * upgrades with an HTTP status, and stop and come back on the same port.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.start()) {
 *     server.onText((session, text) -> session.sendText("echo:" + text));
 *     ...
 * }
 * }</pre>
 */
public final class TestServer implements AutoCloseable {

	private final List<Session> sessions = new CopyOnWriteArrayList<>();

	private final Queue<String> received = new ConcurrentLinkedQueue<>();

	private final AtomicInteger upgrades = new AtomicInteger();

	private final AtomicInteger upgradeRequests = new AtomicInteger();

	private volatile BiConsumer<Session, String> onText = (session, text) -> {
	};

	private volatile BiConsumer<Session, byte[]> onBinary = (session, bytes) -> {
	};

	private volatile java.util.function.Consumer<Session> onOpen = (session) -> {
	};

	private volatile int rejectStatus;

	private volatile boolean autoPong = true;

	private final AtomicInteger pongs = new AtomicInteger();

	private final AtomicInteger pings = new AtomicInteger();

	private volatile DisposableServer server;

	private final int port;

	private final @Nullable SslContext sslContext;

	private TestServer(int port, @Nullable SslContext sslContext) {
		this.sslContext = sslContext;
		this.server = bind(port);
		this.port = this.server.port();
	}

	/**
	 * Start a server on an ephemeral port of 127.0.0.1.
	 * @return the server
	 */
	public static TestServer start() {
		return new TestServer(0, null);
	}

	/**
	 * Start a TLS server ({@code wss://}) on an ephemeral port of 127.0.0.1.
	 * @param sslContext the server's TLS context (certificate, client authentication)
	 * @return the server
	 */
	public static TestServer startSecure(SslContext sslContext) {
		return new TestServer(0, sslContext);
	}

	private DisposableServer bind(int port) {
		HttpServer server = HttpServer.create();
		if (this.sslContext != null) {
			SslContext context = this.sslContext;
			server = server.secure((spec) -> spec.sslContext(context));
		}
		return server.host("127.0.0.1").port(port).route((routes) -> routes.get("/ws", (request, response) -> {
			this.upgradeRequests.incrementAndGet();
			int status = this.rejectStatus;
			if (status != 0) {
				return response.status(HttpResponseStatus.valueOf(status)).send();
			}
			// Counted before the 101 goes out, so a client that sees CONNECTED sees it
			// counted.
			this.upgrades.incrementAndGet();
			return response.sendWebsocket(this::handle,
					WebsocketServerSpec.builder().maxFramePayloadLength(64 * 1024 * 1024).handlePing(true).build());
		})).bindNow(Duration.ofSeconds(10));
	}

	private Mono<Void> handle(WebsocketInbound in, WebsocketOutbound out) {
		Session session = new Session(in, out);
		this.sessions.add(session);
		this.onOpen.accept(session);
		in.aggregateFrames(64 * 1024 * 1024).receiveFrames().subscribe((frame) -> {
			if (frame instanceof TextWebSocketFrame text) {
				String value = text.text();
				this.received.add(value);
				this.onText.accept(session, value);
			}
			else if (frame instanceof BinaryWebSocketFrame binary) {
				byte[] bytes = new byte[binary.content().readableBytes()];
				binary.content().getBytes(binary.content().readerIndex(), bytes);
				this.onBinary.accept(session, bytes);
			}
			else if (frame instanceof PingWebSocketFrame ping) {
				this.pings.incrementAndGet();
				if (this.autoPong) {
					session.send(new PongWebSocketFrame(ping.content().retain()));
				}
			}
			else if (frame instanceof PongWebSocketFrame) {
				this.pongs.incrementAndGet();
			}
		}, (error) -> {
		});
		in.receiveCloseStatus().subscribe((status) -> session.closeCode = status.code(), (error) -> {
		});
		return session.connection.onDispose().doFinally((signal) -> this.sessions.remove(session));
	}

	/**
	 * @return the ws:// URL of the endpoint
	 */
	public String url() {
		return ((this.sslContext != null) ? "wss" : "ws") + "://127.0.0.1:" + this.port + "/ws";
	}

	/**
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * @param handler called for every text frame received
	 */
	public void onText(BiConsumer<Session, String> handler) {
		this.onText = handler;
	}

	/**
	 * @param handler called for every binary frame received
	 */
	public void onBinary(BiConsumer<Session, byte[]> handler) {
		this.onBinary = handler;
	}

	/**
	 * @param handler called for every session opened
	 */
	public void onOpen(java.util.function.Consumer<Session> handler) {
		this.onOpen = handler;
	}

	/**
	 * @param status an HTTP status to answer upgrades with, or 0 to accept
	 */
	public void rejectUpgradesWith(int status) {
		this.rejectStatus = status;
	}

	/**
	 * @param autoPong whether pings are answered
	 */
	public void autoPong(boolean autoPong) {
		this.autoPong = autoPong;
	}

	/**
	 * @return open sessions
	 */
	public List<Session> sessions() {
		return this.sessions;
	}

	/**
	 * @return every text frame received, in order
	 */
	public Queue<String> received() {
		return this.received;
	}

	/**
	 * @return successful upgrades so far
	 */
	public int upgrades() {
		return this.upgrades.get();
	}

	/**
	 * @return upgrade requests so far, accepted or not
	 */
	public int upgradeRequests() {
		return this.upgradeRequests.get();
	}

	/**
	 * @return pings received
	 */
	public int pings() {
		return this.pings.get();
	}

	/**
	 * @return pongs received
	 */
	public int pongs() {
		return this.pongs.get();
	}

	/** Push a text frame to every open session. */
	public void broadcast(String text) {
		this.sessions.forEach((session) -> session.sendText(text));
	}

	/**
	 * Drop every connection without a close frame (as a crash or a network cut would).
	 */
	public void dropAll() {
		this.sessions.forEach(Session::drop);
	}

	/** Stop listening and drop every connection; {@link #restart()} brings it back. */
	public void stop() {
		this.server.disposeNow(Duration.ofSeconds(5));
		dropAll();
	}

	/** Listen again on the same port. */
	public void restart() {
		this.server = bind(this.port);
	}

	@Override
	public void close() {
		dropAll();
		this.server.disposeNow(Duration.ofSeconds(5));
	}

	/**
	 * One server-side session.
	 */
	public static final class Session {

		final WebsocketInbound in;

		final WebsocketOutbound out;

		private final Connection connection;

		volatile int closeCode = -1;

		Session(WebsocketInbound in, WebsocketOutbound out) {
			this.in = in;
			this.out = out;
			Connection[] holder = new Connection[1];
			in.withConnection((c) -> holder[0] = c);
			this.connection = holder[0];
		}

		/**
		 * @param text sent as a text frame
		 */
		public void sendText(String text) {
			send(new TextWebSocketFrame(text));
		}

		/**
		 * @param bytes sent as a binary frame
		 */
		public void sendBinary(byte[] bytes) {
			send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
		}

		/**
		 * @param bytes sent as a ping frame
		 */
		public void sendPing(byte[] bytes) {
			send(new PingWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
		}

		/**
		 * @param frame sent as it is, for frames the helpers above cannot make
		 */
		public void send(WebSocketFrame frame) {
			this.connection.channel().writeAndFlush(frame);
		}

		/** Close with a close frame. */
		public void close(int code, String reason) {
			send(new CloseWebSocketFrame(code, reason));
		}

		/** Close the TCP connection without a close frame. */
		public void drop() {
			this.connection.channel().close();
		}

		/**
		 * @return the status code of the client's close frame, or -1
		 */
		public int closeCode() {
			return this.closeCode;
		}

		/**
		 * @param text a text to encode
		 */
		static byte[] utf8(String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}

	}

}
