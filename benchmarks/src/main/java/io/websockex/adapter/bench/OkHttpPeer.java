package io.websockex.adapter.bench;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.jspecify.annotations.Nullable;

/**
 * OkHttp's WebSocket: one shared {@link OkHttpClient}, a {@link WebSocketListener} whose
 * {@code onMessage(WebSocket, String)} takes each text message on the connection's reader
 * thread, and {@link WebSocket#send(String)}.
 */
final class OkHttpPeer implements Peer {

	private final OkHttpClient client;

	OkHttpPeer() {
		// A WebSocket holds its dispatcher call for its whole life, so the defaults (64
		// calls, 5 per host) leave every connection after the fifth to one server
		// waiting;
		// an application with many sockets to one server raises them, as here.
		Dispatcher dispatcher = new Dispatcher();
		dispatcher.setMaxRequests(100_000);
		dispatcher.setMaxRequestsPerHost(100_000);
		this.client = new OkHttpClient.Builder().dispatcher(dispatcher).build();
	}

	@Override
	public CompletableFuture<Connection> connect(String url, Consumer<String> onText) {
		CompletableFuture<Connection> opened = new CompletableFuture<>();
		this.client.newWebSocket(new Request.Builder().url(url).build(), new WebSocketListener() {

			@Override
			public void onOpen(WebSocket webSocket, Response response) {
				opened.complete(Connection.of((text) -> {
					if (!webSocket.send(text)) {
						throw new IllegalStateException(
								"okhttp did not take a message: the socket is closing or its queue is full");
					}
				}, () -> webSocket.close(1000, null)));
			}

			@Override
			public void onMessage(WebSocket webSocket, String text) {
				onText.accept(text);
			}

			@Override
			public void onFailure(WebSocket webSocket, Throwable error, @Nullable Response response) {
				if (!opened.completeExceptionally(error)) {
					Results.note("okhttp connection failed: " + error);
				}
			}

		});
		return opened;
	}

	@Override
	public void close() {
		this.client.dispatcher().executorService().shutdown();
		this.client.connectionPool().evictAll();
	}

}
