package io.websockex.adapter.scale;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexException;
import io.websockex.adapter.internal.client.PooledClient;
import io.websockex.adapter.test.TestConnection;
import io.websockex.adapter.test.WebsockexTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * One client over a pool of five connections at 1,024 channels each: 5,000 channels
 * spread by room, merged streams, requests routed past a member that is down, and a
 * dropped member restoring its own channels within its backoff.
 */
class PoolTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private final WebsockexTestServer server = WebsockexTestServer.jsonRpc();

	private final List<WebsockexClient> clients = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeAll() {
		try {
			this.clients.forEach((client) -> client.close().block(WAIT));
		}
		finally {
			this.server.close();
		}
	}

	// The JSON-RPC test server acknowledges subscribes and keeps each connection's
	// channels: the server's view of the placement. Requests are scripted here.
	private void answerSubscribesAndRequests() {
		this.server.onRequest("public/test").reply(true);
	}

	private int serverSideChannels() {
		return this.server.openConnections().stream().mapToInt((c) -> c.subscriptions().size()).sum();
	}

	private PooledClient pool(int size, int perMember) {
		WebsockexClient client = WebsockexClient.create("book",
				Config.builder(this.server.url())
					.poolSize(size)
					.maxSubscriptionsPerConnection(perMember)
					.retryDelay(Duration.ofMillis(200))
					.maxBackoff(Duration.ofSeconds(1))
					.backoffJitter(0)
					.inboundBuffer(256)
					.build());
		this.clients.add(client);
		assertThat(client).isInstanceOf(PooledClient.class);
		return (PooledClient) client;
	}

	@Test
	@Timeout(value = 60, unit = TimeUnit.SECONDS)
	void fiveThousandChannelsOverFiveMembersComeBackAfterAMemberDrops() {
		answerSubscribesAndRequests();
		PooledClient pool = pool(5, 1024);
		pool.start();
		await().atMost(WAIT)
			.until(() -> pool.members().stream().allMatch((m) -> m.state() == ConnectionState.CONNECTED));
		List<String> channels = new ArrayList<>();
		for (int i = 0; i < 5000; i++) {
			channels.add("book.I" + i + ".100ms");
		}
		long heapBefore = usedHeapAfterGc();
		Flux.fromIterable(channels)
			.buffer(500)
			.concatMap((batch) -> pool.subscribe(batch.toArray(String[]::new)))
			.then()
			.block(WAIT);
		long heapPerChannel = (usedHeapAfterGc() - heapBefore) / channels.size();
		// Spread by room: 1,000 on each member, none over its cap, every channel on one.
		assertThat(pool.members()).allSatisfy((member) -> assertThat(member.subscriptions()).hasSize(1000));
		assertThat(serverSideChannels()).isEqualTo(5000);
		assertThat(this.server.openConnections())
			.allSatisfy((c) -> assertThat(c.subscriptions()).hasSizeLessThanOrEqualTo(1024));
		assertThat(pool.subscriptions()).hasSize(5000);

		// Beyond 5 x 1,024 fails clearly, and changes nothing.
		List<String> tooMany = new ArrayList<>();
		for (int i = 0; i < 121; i++) {
			tooMany.add("trades.I" + i);
		}
		assertThatExceptionOfType(WebsockexException.class)
			.isThrownBy(() -> pool.subscribe(tooMany.toArray(String[]::new)).block(WAIT))
			.withMessageContaining("'book'")
			.withMessageContaining("at most 5120")
			.withMessageContaining("pool.max-subscriptions-per-connection");
		assertThat(pool.subscriptions()).hasSize(5000);

		// Merged streams: a notification on any member's session reaches channel().
		String onMember3 = channels.stream().filter((c) -> pool.memberOf(c) == 3).findFirst().orElseThrow();
		List<JsonNode> ticks = new CopyOnWriteArrayList<>();
		pool.channel(onMember3).subscribe(ticks::add);
		assertThat(this.server.push(onMember3, Map.of("bid", 1))).isEqualTo(1);
		await().atMost(WAIT).until(() -> ticks.size() == 1);

		// Drop member 3: its own 1,000 channels come back with it, within its backoff.
		TestConnection dropped = connectionCarrying(onMember3);
		Set<String> itsChannels = Set.copyOf(dropped.subscriptions());
		assertThat(itsChannels).hasSize(1000).allSatisfy((c) -> assertThat(pool.memberOf(c)).isEqualTo(3));
		long droppedAt = System.nanoTime();
		dropped.drop();
		await().atMost(WAIT).until(() -> pool.members().get(3).state() != ConnectionState.CONNECTED);
		// Meanwhile requests go to the members still connected.
		for (int i = 0; i < 20; i++) {
			assertThat(pool.request("public/test", Map.of()).block(WAIT).asBoolean()).isTrue();
		}
		await().atMost(WAIT).until(() -> restored(itsChannels));
		Duration took = Duration.ofNanos(System.nanoTime() - droppedAt);
		// First backoff 200 ms (no jitter), then connect and one subscribe round trip.
		assertThat(took).isLessThan(Duration.ofMillis(200).plusSeconds(3));
		await().atMost(WAIT).until(() -> serverSideChannels() == 5000);
		assertThat(pool.state()).isEqualTo(ConnectionState.CONNECTED);
		System.out.printf("pool: heap per pooled channel %d bytes (client and server bookkeeping, one JVM); member 3's "
				+ "1000 channels back %d ms after the drop%n", heapPerChannel, took.toMillis());
	}

	@Test
	void aRequestGoesToAConnectedMemberAndThePoolIsUpWhileOneIs() {
		answerSubscribesAndRequests();
		PooledClient pool = pool(3, 10);
		pool.start();
		pool.awaitConnected().block(WAIT);
		await().atMost(WAIT)
			.until(() -> pool.members().stream().allMatch((m) -> m.state() == ConnectionState.CONNECTED));
		pool.members().get(0).disconnect().block(WAIT);
		pool.members().get(1).disconnect().block(WAIT);
		assertThat(pool.state()).isEqualTo(ConnectionState.CONNECTED);
		for (int i = 0; i < 10; i++) {
			assertThat(pool.request("public/test", Map.of()).block(WAIT).asBoolean()).isTrue();
		}
		// Counted when the write completes, which may be after its response is read.
		await().atMost(WAIT).until(() -> pool.members().get(2).metrics().messagesSent() >= 10);
		assertThat(pool.members().get(2).healthScore()).isGreaterThan(0);
		assertThat(pool.members().get(0).healthScore()).isZero();
		pool.members().get(2).disconnect().block(WAIT);
		assertThat(pool.state()).isEqualTo(ConnectionState.DISCONNECTED);
	}

	private TestConnection connectionCarrying(String channel) {
		return this.server.openConnections()
			.stream()
			.filter((c) -> c.subscriptions().contains(channel))
			.findFirst()
			.orElseThrow();
	}

	private boolean restored(Set<String> channels) {
		return this.server.openConnections()
			.stream()
			.anyMatch((c) -> c.isOpen() && c.subscriptions().containsAll(channels));
	}

	private static long usedHeapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

}
