package io.websockex.adapter.test;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A bare Reactor Netty WebSocket client for the module's own tests, which must not depend
 * on the websockex client: it sends what it is told and queues what it receives.
 */
final class RawClient implements AutoCloseable {

	static final Duration WAIT = Duration.ofSeconds(10);

	private final BlockingQueue<String> inbound = new LinkedBlockingQueue<>();

	private final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();

	private final Sinks.One<WebSocketCloseStatus> closeStatus = Sinks.one();

	private final Sinks.Empty<Void> ended = Sinks.empty();

	private final Sinks.One<Throwable> failure = Sinks.one();

	private RawClient(String url) {
		HttpClient.newConnection()
			.websocket(WebsocketClientSpec.builder().maxFramePayloadLength(64 * 1024 * 1024).build())
			.uri(url)
			.handle((in, out) -> {
				in.withConnection((connection) -> connection.onDispose(() -> this.ended.tryEmitEmpty()));
				in.receiveCloseStatus().subscribe(this.closeStatus::tryEmitValue, (error) -> {
				});
				in.aggregateFrames(64 * 1024 * 1024)
					.receiveFrames()
					.filter(TextWebSocketFrame.class::isInstance)
					.subscribe((frame) -> this.inbound.add(((TextWebSocketFrame) frame).text()), (error) -> {
					});
				return out.sendString(this.outbound.asFlux());
			})
			.subscribe(null, (error) -> {
				this.failure.tryEmitValue(error);
				this.ended.tryEmitEmpty();
			}, this.ended::tryEmitEmpty);
	}

	static RawClient connect(String url) {
		return new RawClient(url);
	}

	static RawClient connect(WebsockexTestServer server) {
		int before = server.connections();
		RawClient client = new RawClient(server.url());
		server.awaitConnections(before + 1);
		return client;
	}

	RawClient send(String text) {
		this.outbound.tryEmitNext(text);
		return this;
	}

	RawClient request(int id, String method, String paramsJson) {
		return send(
				"{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + paramsJson + "}");
	}

	String next() {
		return next(WAIT);
	}

	@Nullable String next(Duration wait) {
		try {
			String text = this.inbound.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
			if (text == null && wait == WAIT) {
				throw new AssertionError("no frame within " + wait);
			}
			return text;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	JsonNode nextJson() {
		return JsonMapper.shared().readTree(next());
	}

	/**
	 * @return the server's close status, or null when the connection ended without one
	 */
	@Nullable WebSocketCloseStatus awaitEnd() {
		this.ended.asMono().block(WAIT);
		return this.closeStatus.asMono().timeout(Duration.ofMillis(500), Mono.empty()).block();
	}

	Throwable awaitFailure() {
		return this.failure.asMono().block(WAIT);
	}

	@Override
	public void close() {
		this.outbound.tryEmitComplete();
	}

}
