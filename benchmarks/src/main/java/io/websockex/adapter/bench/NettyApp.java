package io.websockex.adapter.bench;

import java.time.Duration;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * What a Spring WebFlux application already runs when it makes its first WebSocket
 * client: a Reactor Netty HTTP server on the global {@code HttpResources} (Spring Boot's
 * default), which has answered one request made through Reactor Netty's
 * {@code HttpClient}. The {@code inbound-app} scenario starts it before the cold-start
 * clock, so that its figures show what a client costs to start in such an application,
 * beside {@code inbound}'s, which include loading Netty and Reactor into an empty JVM.
 */
final class NettyApp implements AutoCloseable {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final DisposableServer server;

	private NettyApp(DisposableServer server) {
		this.server = server;
	}

	/**
	 * Start the server on an ephemeral loopback port and make one request to it.
	 * @return the running application
	 */
	static NettyApp start() {
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.get("/", (request, response) -> response.sendString(Mono.just("ok"))))
			.bindNow(WAIT);
		String body = HttpClient.create()
			.get()
			.uri("http://127.0.0.1:" + server.port() + "/")
			.responseContent()
			.aggregate()
			.asString()
			.block(WAIT);
		if (!"ok".equals(body)) {
			server.disposeNow(WAIT);
			throw new IllegalStateException("the application's own HTTP request answered " + body);
		}
		return new NettyApp(server);
	}

	@Override
	public void close() {
		this.server.disposeNow(WAIT);
	}

}
