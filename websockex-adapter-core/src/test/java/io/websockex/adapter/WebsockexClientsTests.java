package io.websockex.adapter;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.websockex.adapter.test.WebsockexTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The registry without Spring: clients registered and removed at run time, listeners told
 * before a client connects, and {@code close()} closing what was registered.
 */
class WebsockexClientsTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final WebsockexTestServer server = WebsockexTestServer.raw();

	private final WebsockexClients clients = new WebsockexClients(List.of());

	@AfterEach
	void closeAll() {
		try {
			this.clients.close();
		}
		finally {
			this.server.close();
		}
	}

	@Test
	void registerStartsAClientAfterTellingListenersAndRemoveClosesIt() {
		List<String> events = new CopyOnWriteArrayList<>();
		this.clients.addListener(new WebsockexClients.Listener() {

			@Override
			public void registered(WebsockexClient client) {
				events.add("registered " + client.name() + " " + client.state());
			}

			@Override
			public void removed(WebsockexClient client) {
				events.add("removed " + client.name());
			}

		});
		WebsockexClient client = this.clients.register("user-7", Config.builder(this.server.url()).build());
		client.awaitConnected().block(WAIT);
		assertThat(this.clients.get("user-7")).isSameAs(client);
		assertThat(this.clients.names()).containsExactly("user-7");
		this.clients.remove("user-7").block(WAIT);
		assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
		assertThat(this.clients.contains("user-7")).isFalse();
		assertThat(events).containsExactly("registered user-7 DISCONNECTED", "removed user-7");
	}

	// remove() closes the client as a plain client's close() does: at the call, not only
	// once someone subscribes to its Mono. A pool's connections were left open, its
	// client already gone from the registry, with nobody left to close them.
	@Test
	void removeClosesAPooledClientsConnectionsWithoutWaitingForItsMono() {
		this.clients.register("pool-1", Config.builder(this.server.url()).poolSize(2).build());
		await().atMost(WAIT).until(() -> this.server.openConnections().size() == 2);

		this.clients.remove("pool-1");

		assertThat(this.clients.contains("pool-1")).isFalse();
		await().atMost(WAIT).until(() -> this.server.openConnections().isEmpty());
	}

	// A remove that comes while listeners still learn of the registration waits for them:
	// told in the other order, they would bind meters and listeners to a client already
	// removed and closed, and keep them.
	@Test
	void aRemoveRacingARegisterIsAnnouncedAfterIt() throws Exception {
		List<String> events = new CopyOnWriteArrayList<>();
		CountDownLatch inRegistered = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		this.clients.addListener(new WebsockexClients.Listener() {

			@Override
			public void registered(WebsockexClient client) {
				inRegistered.countDown();
				await().atMost(WAIT).until(() -> release.getCount() == 0);
				events.add("registered " + client.name());
			}

			@Override
			public void removed(WebsockexClient client) {
				events.add("removed " + client.name());
			}

		});
		Thread registering = new Thread(
				() -> this.clients.register("user-9", Config.builder(this.server.url()).build()), "registering");
		registering.start();
		assertThat(inRegistered.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
		Thread removing = new Thread(() -> this.clients.remove("user-9").block(WAIT), "removing");
		removing.start();
		// Either the remove waits for the registration to be announced, or (the race)
		// it has already told the listeners.
		await().atMost(WAIT)
			.until(() -> !events.isEmpty() || removing.getState() == Thread.State.WAITING
					|| removing.getState() == Thread.State.TIMED_WAITING);
		release.countDown();
		registering.join(WAIT.toMillis());
		removing.join(WAIT.toMillis());
		assertThat(events).containsExactly("registered user-9", "removed user-9");
		assertThat(this.clients.contains("user-9")).isFalse();
	}

	@Test
	void aNameIsTakenOnlyOnce() {
		this.clients.register("user-8", Config.builder(this.server.url()).build());
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.clients.register("user-8", Config.builder(this.server.url()).build()))
			.withMessageContaining("'user-8' already exists")
			.withMessageContaining("remove(\"user-8\")");
		assertThat(this.clients.size()).isEqualTo(1);
	}

	@Test
	void removingAnUnknownNameSaysWhichAreKnown() {
		this.clients.register("user-9", Config.builder(this.server.url()).build());
		assertThat(this.clients.remove("nobody").onErrorResume((error) -> {
			assertThat(error).isInstanceOf(WebsockexException.class).hasMessageContaining("[user-9]");
			return reactor.core.publisher.Mono.empty();
		}).block(WAIT)).isNull();
	}

	@Test
	void closeClosesEveryRegisteredClient() {
		WebsockexClient first = this.clients.register("a", Config.builder(this.server.url()).build());
		WebsockexClient second = this.clients.register("b", Config.builder(this.server.url()).build());
		first.awaitConnected().block(WAIT);
		second.awaitConnected().block(WAIT);
		this.clients.close();
		assertThat(first.state()).isEqualTo(ConnectionState.DISCONNECTED);
		assertThat(second.state()).isEqualTo(ConnectionState.DISCONNECTED);
		assertThat(this.clients.size()).isZero();
	}

}
