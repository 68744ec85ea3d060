package io.websockex.adapter.bench;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;

/**
 * Spring WebFlux's {@link ReactorNettyWebSocketClient}, used as its reference
 * documentation shows: a handler that maps {@code session.receive()} to
 * {@code getPayloadAsText()} and feeds {@code session.send(...)} from a sink, the two
 * zipped.
 */
final class WebFluxPeer implements Peer {

	// The default client's HttpClient has a connection pool that holds each WebSocket
	// for its whole life, so with its default size (and pending-acquire limit) to one
	// server the idle-mem scenario's hundreds of connections wait and time out; an
	// application with that many gives it an HttpClient without a pool. That is also
	// raw's, so WebFlux differs from raw only in its own layer.
	private final ReactorNettyWebSocketClient client = new ReactorNettyWebSocketClient(HttpClient.newConnection());

	@Override
	public CompletableFuture<Connection> connect(String url, Consumer<String> onText) {
		CompletableFuture<Connection> opened = new CompletableFuture<>();
		WebFluxConnection connection = new WebFluxConnection();
		connection.subscription = this.client.execute(URI.create(url), (session) -> {
			Mono<Void> input = session.receive().map(WebSocketMessage::getPayloadAsText).doOnNext(onText).then();
			Mono<Void> output = session.send(connection.outbound.asFlux().map(session::textMessage));
			opened.complete(connection);
			return Mono.zip(input, output).then();
		}).subscribe(null, opened::completeExceptionally);
		return opened;
	}

	@Override
	public void close() {
		// The client's HttpClient uses Reactor Netty's shared resources, which stop with
		// the JVM.
	}

	private static final class WebFluxConnection implements Connection {

		// Requests are sent from the caller's thread and from the I/O thread (the next
		// request on each response), so emissions can race: retry them briefly.
		private static final Sinks.EmitFailureHandler RETRY = Sinks.EmitFailureHandler
			.busyLooping(Duration.ofSeconds(1));

		final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();

		volatile @Nullable Disposable subscription;

		@Override
		public void send(String text) {
			this.outbound.emitNext(text, RETRY);
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
