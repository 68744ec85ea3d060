package io.websockex.adapter.bench;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * Java-WebSocket: a {@link WebSocketClient} per connection (blocking socket, its own read
 * and write threads), {@code onMessage(String)} and {@code send(String)}.
 */
final class JavaWebSocketPeer implements Peer {

	@Override
	public CompletableFuture<Connection> connect(String url, Consumer<String> onText) {
		CompletableFuture<Connection> opened = new CompletableFuture<>();
		WebSocketClient client = new WebSocketClient(URI.create(url)) {

			@Override
			public void onOpen(ServerHandshake handshake) {
				opened.complete(Connection.of(this::send, this::close));
			}

			@Override
			public void onMessage(String message) {
				onText.accept(message);
			}

			@Override
			public void onClose(int code, String reason, boolean remote) {
				opened.completeExceptionally(new IllegalStateException("closed before it opened: " + code));
			}

			@Override
			public void onError(Exception error) {
				if (!opened.completeExceptionally(error)) {
					Results.note("java-websocket connection failed: " + error);
				}
			}

		};
		client.connect();
		return opened;
	}

	@Override
	public void close() {
		// Nothing shared: each client owns its threads and stops them when closed.
	}

}
