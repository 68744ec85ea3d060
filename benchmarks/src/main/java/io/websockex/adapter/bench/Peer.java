package io.websockex.adapter.bench;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A WebSocket client library that is not websockex: raw Reactor Netty, the reference, and
 * the peers it is compared with. Each one supplies only how it connects, sends and
 * receives text; the scenarios ({@link InboundBench}, {@link RpcBench},
 * {@link IdleMemBench}) measure all of them with the same code.
 */
interface Peer {

	/**
	 * The drivers that are a {@code Peer}, as {@link Driver} and {@link Report} name
	 * them.
	 */
	List<String> NAMES = List.of("raw", "okhttp", "vertx", "webflux", "java-websocket");

	/**
	 * @param name one of {@link #NAMES}
	 * @return a new instance of that library's client
	 */
	static Peer named(String name) {
		return switch (name.toLowerCase(Locale.ROOT)) {
			case "raw" -> new RawPeer();
			case "okhttp" -> new OkHttpPeer();
			case "vertx" -> new VertxPeer();
			case "webflux" -> new WebFluxPeer();
			case "java-websocket" -> new JavaWebSocketPeer();
			default -> throw new IllegalArgumentException("unknown driver " + name + "; known: websockex, " + NAMES);
		};
	}

	/**
	 * Start opening a connection.
	 * @param url the server
	 * @param onText receives each text message, on the library's own receiving thread
	 * @return completes once the handshake is done, or with the reason it failed
	 */
	CompletableFuture<Connection> connect(String url, Consumer<String> onText);

	/**
	 * Open a connection and wait for it.
	 * @param url the server
	 * @param onText receives each text message
	 * @return the open connection
	 * @throws Exception if it did not open within 10 s
	 */
	default Connection open(String url, Consumer<String> onText) throws Exception {
		try {
			return connect(url, onText).get(10, TimeUnit.SECONDS);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException(getClass().getSimpleName() + " did not connect to " + url + " within 10s",
					ex);
		}
	}

	/**
	 * Release what the library holds for all its connections (threads, pools), once the
	 * figures are printed.
	 * @throws Exception if it cannot
	 */
	void close() throws Exception;

	/** One open connection. */
	interface Connection {

		/**
		 * Send a text message; may be called from any thread.
		 * @param text the message
		 */
		void send(String text);

		/** Close the connection. */
		void close();

		/**
		 * @param send what sends a text message
		 * @param close what closes the connection
		 * @return a connection made of the two
		 */
		static Connection of(Consumer<String> send, Runnable close) {
			return new Connection() {

				@Override
				public void send(String text) {
					send.accept(text);
				}

				@Override
				public void close() {
					close.run();
				}

			};
		}

	}

}
