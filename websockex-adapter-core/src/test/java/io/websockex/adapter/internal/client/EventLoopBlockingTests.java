package io.websockex.adapter.internal.client;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import io.netty.util.concurrent.FastThreadLocalThread;
import io.websockex.adapter.Config;
import io.websockex.adapter.Credentials;
import io.websockex.adapter.internal.jsonrpc.JsonRpcCodec;
import io.websockex.adapter.platform.Platform;
import io.websockex.adapter.platform.Platforms;
import io.websockex.adapter.test.WebsockexTestServer;
import io.websockex.adapter.testing.TransportUnderTest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slow one-time work a client needs is done on the caller's thread, never left to the
 * Netty event loop that would meet it first (where it stalls every connection of that
 * loop).
 */
class EventLoopBlockingTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@Test
	void aRawClientsFirstRequestBuildsTheJsonMapperOnTheCallersThreadNotTheEventLoop() {
		// Empty params need no serializer: nothing on this thread needs the mapper.
		JsonNode time = firstCallOfARawClient((client) -> client.request("public/get_time", Map.of()));
		assertThat(time.asLong()).isEqualTo(1700000000000L);
	}

	@Test
	void aRawClientsFirstSendRequestBuildsTheJsonMapperOnTheCallersThreadNotTheEventLoop() {
		ObjectNode message = JsonNodeFactory.instance.objectNode()
			.put("jsonrpc", "2.0")
			.put("id", 7)
			.put("method", "public/get_time");
		message.putObject("params");
		JsonNode response = firstCallOfARawClient((client) -> client.sendRequest(message));
		assertThat(response.get("result").asLong()).isEqualTo(1700000000000L);
	}

	// A connected raw client's first call whose answer the event loop reads: the mapper
	// is made on this thread, by the call, not at the answer.
	private static JsonNode firstCallOfARawClient(Function<ManagedClient, Mono<JsonNode>> call) {
		try (WebsockexTestServer server = WebsockexTestServer.raw()) {
			server.onRequest("public/get_time").reply("1700000000000");
			MapperMadeOn mapper = new MapperMadeOn();
			Config config = Config.builder(server.url()).platform(Platforms.raw()).build();
			ManagedClient client = new ManagedClient("raw", config, TransportUnderTest.customizer(),
					JsonRpcCodec.over(mapper));
			try {
				client.start();
				client.awaitConnected().block(WAIT);
				assertThat(mapper.thread.get()).as("a raw client builds no mapper to connect").isNull();

				JsonNode answer = call.apply(client).block(WAIT);

				assertThat(mapper.thread.get()).as("the thread that built the mapper")
					.isNotInstanceOf(FastThreadLocalThread.class)
					.isSameAs(Thread.currentThread());
				return answer;
			}
			finally {
				client.close().block(WAIT);
			}
		}
	}

	@Test
	void anAuthWrittenAfterEachConnectHasItsMapperBuiltOnTheCallersThreadEvenWithoutSubscriptions() {
		try (WebsockexTestServer server = WebsockexTestServer.raw()) {
			server.onRequest("login").reply("true");
			MapperMadeOn mapper = new MapperMadeOn();
			Config config = Config.builder(server.url())
				.platform(new LoginOnlyPlatform())
				.auth(new Credentials("id", "secret"))
				.build();
			ManagedClient client = new ManagedClient("login", config, TransportUnderTest.customizer(),
					JsonRpcCodec.over(mapper));
			try {
				client.start();
				client.awaitConnected().block(WAIT);

				// The auth call's params are written on the event loop, once connected.
				server.awaitRequest("login");

				assertThat(mapper.thread.get()).as("the thread that built the mapper")
					.isNotInstanceOf(FastThreadLocalThread.class)
					.isSameAs(Thread.currentThread());
			}
			finally {
				client.close().block(WAIT);
			}
		}
	}

	/** A dialect with an auth call and no subscriptions. */
	private static final class LoginOnlyPlatform implements Platform {

		@Override
		public String name() {
			return "login-only";
		}

		@Override
		public boolean supportsSubscriptions() {
			return false;
		}

		@Override
		public Call subscribe(Collection<String> channels, boolean authenticated) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Call unsubscribe(Collection<String> channels, boolean authenticated) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Call auth(Credentials credentials) {
			return new Call("login", Map.of("user", credentials.clientId()));
		}

		@Override
		public @Nullable Notification notification(JsonNode message) {
			return null;
		}

	}

	/**
	 * A mapper made at the first call, as {@code JsonMapper.shared()} is in a fresh JVM,
	 * that remembers the thread it was made on.
	 */
	private static final class MapperMadeOn implements Supplier<JsonMapper> {

		final AtomicReference<Thread> thread = new AtomicReference<>();

		private final JsonMapper mapper = JsonMapper.builder().build();

		@Override
		public JsonMapper get() {
			this.thread.compareAndSet(null, Thread.currentThread());
			return this.mapper;
		}

	}

}
