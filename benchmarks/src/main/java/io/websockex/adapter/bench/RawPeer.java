package io.websockex.adapter.bench;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;

/**
 * The reference: Reactor Netty's {@code HttpClient.newConnection().websocket()} with
 * {@code receive().asString()}, text written straight to the Netty channel.
 */
final class RawPeer implements Peer {

	private final HttpClient client = HttpClient.newConnection();

	@Override
	public CompletableFuture<Connection> connect(String url, Consumer<String> onText) {
		CompletableFuture<Connection> opened = new CompletableFuture<>();
		RawConnection connection = new RawConnection();
		connection.subscription = this.client.websocket().uri(url).handle((in, out) -> {
			in.withConnection((c) -> connection.channel = c.channel());
			opened.complete(connection);
			return in.receive().asString().doOnNext(onText);
		}).subscribe(null, opened::completeExceptionally);
		return opened;
	}

	@Override
	public void close() {
		// Nothing shared: each connection is its own, closed with it.
	}

	private static final class RawConnection implements Connection {

		private volatile @Nullable Channel channel;

		private volatile @Nullable Disposable subscription;

		@Override
		public void send(String text) {
			Channel channel = this.channel;
			if (channel == null) {
				throw new IllegalStateException("raw client is not connected");
			}
			channel.writeAndFlush(new TextWebSocketFrame(text));
		}

		@Override
		public void close() {
			Disposable subscription = this.subscription;
			if (subscription != null) {
				subscription.dispose();
			}
		}

	}

}
