package io.websockex.adapter.internal.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.websockex.adapter.ClientMetrics;
import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.platform.Platforms;
import io.websockex.adapter.test.TestConnection;
import io.websockex.adapter.test.WebsockexTestServer;
import io.websockex.adapter.testing.LiveClients;
import io.websockex.adapter.testing.TransportUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Planned rotation (max-connection-age) against a real server that, like Binance at 24
 * hours, cuts every connection at a fixed age: the client replaces each session before
 * the cut, and a subscriber of a sequenced channel sees every number once, in order.
 */
class SessionRotationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final Duration SERVER_CUT = Duration.ofSeconds(5);

	private static final String CHANNEL = "book.BTC-PERPETUAL.raw";

	private static final JsonMapper mapper = JsonMapper.shared();

	@RegisterExtension
	final LiveClients live = LiveClients.deribit();

	private final ScheduledExecutorService exchange = Executors.newScheduledThreadPool(1);

	// Every connection ever opened, in order.
	private final List<TestConnection> opened = new CopyOnWriteArrayList<>();

	private final AtomicInteger cutByServer = new AtomicInteger();

	private final AtomicLong changeId = new AtomicLong();

	// Which sessions (by opening order) each change was sent to, to tell a lost frame
	// from one never sent.
	private final Map<Long, List<Integer>> sentTo = new ConcurrentHashMap<>();

	@AfterEach
	void stopExchange() throws InterruptedException {
		this.exchange.shutdownNow();
		assertThat(this.exchange.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	// A Deribit exchange (the test server answers subscribe and get_time) that publishes
	// one book change every 10 ms to each connection subscribed to the channel (the same
	// change_id to all of them) and cuts each connection at SERVER_CUT.
	private void startExchange() {
		WebsockexTestServer server = this.live.server().noRateLimit();
		server.onConnect((connection) -> {
			this.opened.add(connection);
			this.exchange.schedule(() -> {
				if (connection.isOpen()) {
					this.cutByServer.incrementAndGet();
					connection.close(1000, "connection age limit");
				}
			}, SERVER_CUT.toMillis(), TimeUnit.MILLISECONDS);
		});
		this.exchange.scheduleAtFixedRate(() -> {
			// One thread publishes: every connection gets the changes in the same order.
			long id = this.changeId.incrementAndGet();
			String notification = mapper.writeValueAsString(Map.of("jsonrpc", "2.0", "method", "subscription", "params",
					Map.of("channel", CHANNEL, "data", Map.of("change_id", id))));
			for (TestConnection connection : server.openConnections()) {
				if (connection.subscriptions().contains(CHANNEL)) {
					connection.send(notification);
					this.sentTo.computeIfAbsent(id, (key) -> new CopyOnWriteArrayList<>())
						.add(this.opened.indexOf(connection));
				}
			}
		}, 10, 10, TimeUnit.MILLISECONDS);
	}

	@Test
	void overThirtySecondsOfFiveSecondConnectionsTheSubscriberSequenceHasNoHoleAndRequestsNeverFail()
			throws InterruptedException {
		startExchange();
		WebsockexClient client = this.live.track(TransportUnderTest.create("rotating",
				Config.builder(this.live.server().url())
					.platform(Platforms.deribit())
					.subscriptions(List.of(CHANNEL))
					.maxConnectionAge(Duration.ofSeconds(3))
					.requestTimeout(Duration.ofSeconds(5))
					.build()));
		List<Long> sequence = new CopyOnWriteArrayList<>();
		client.channel(CHANNEL).subscribe((data) -> sequence.add(data.get("change_id").asLong()));
		List<ConnectionState> states = new CopyOnWriteArrayList<>();
		Disposable watch = client.states().subscribe(states::add);
		client.start();
		client.awaitConnected().block(WAIT);
		await().atMost(WAIT).until(() -> !sequence.isEmpty());
		states.clear();

		// Requests all along, so that some are in flight at every switch.
		AtomicInteger answered = new AtomicInteger();
		List<Throwable> failures = new CopyOnWriteArrayList<>();
		Disposable requests = Flux.interval(Duration.ofMillis(25))
			.onBackpressureDrop()
			.concatMap((tick) -> client.request("public/get_time", Map.of())
				.doOnNext((time) -> answered.incrementAndGet())
				.onErrorResume((error) -> {
					failures.add(error);
					return Mono.empty();
				}))
			.subscribe();
		try {
			await().pollDelay(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(31)).until(() -> true);
		}
		finally {
			requests.dispose();
			watch.dispose();
		}

		ClientMetrics metrics = client.metrics();
		assertThat(metrics.rotations()).as("sessions replaced in 30 s of 3 s ages").isGreaterThanOrEqualTo(8);
		assertThat(this.cutByServer.get()).as("connections the server had to cut").isZero();
		assertThat(metrics.reconnects()).as("reconnects (failures)").isZero();
		assertThat(states).as("state changes across the seams").isEmpty();
		assertThat(failures).as("failed requests").isEmpty();
		assertThat(answered.get()).isGreaterThan(100);
		assertThat(metrics.requestLatency().count()).isPositive();
		List<Long> seen = List.copyOf(sequence);
		assertThat(seen.size()).isGreaterThan(1000);
		for (int i = 1; i < seen.size(); i++) {
			long previous = seen.get(i - 1);
			assertThat(seen.get(i))
				.as("change after %d (sent to sessions %s, %s, %s; delivered around it: %s)", previous,
						this.sentTo.get(previous), this.sentTo.get(previous + 1), this.sentTo.get(previous + 2),
						seen.subList(Math.max(0, i - 3), Math.min(seen.size(), i + 5)))
				.isEqualTo(previous + 1);
		}
		// Every replaced session was closed by the client with 1000.
		List<TestConnection> all = List.copyOf(this.opened);
		List<TestConnection> replaced = all.subList(0, all.size() - 2);
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(replaced.stream().map(TestConnection::closeCode).toList())
				.as("close codes of the replaced sessions, of %d opened", all.size())
				.containsOnly(1000));
	}

}
