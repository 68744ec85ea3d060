package io.websockex.adapter.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * Vert.x core's {@link WebSocketClient}: one {@link Vertx} with its default event loops,
 * {@code textMessageHandler} set before {@code connect} (so no frame can arrive before
 * it), and {@code writeTextMessage}.
 */
final class VertxPeer implements Peer {

	private final Vertx vertx = Vertx.vertx();

	// The default allows 50 connections per server and queues the rest; the idle-mem
	// scenario opens many more to one server, as an application that wants them would.
	private final WebSocketClient client = this.vertx
		.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000));

	@Override
	public CompletableFuture<Connection> connect(String url, Consumer<String> onText) {
		ClientWebSocket webSocket = this.client.webSocket();
		webSocket.textMessageHandler(onText::accept);
		return webSocket.connect(new WebSocketConnectOptions().setAbsoluteURI(url))
			.map((open) -> Connection.of(open::writeTextMessage, open::close))
			.toCompletionStage()
			.toCompletableFuture();
	}

	@Override
	public void close() throws Exception {
		this.vertx.close().await(10, TimeUnit.SECONDS);
	}

}
