package io.websockex.adapter.internal.heartbeat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.HeartbeatHealth;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.testing.LiveClients;
import io.websockex.adapter.heartbeat.Heartbeat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ping} heartbeats against a real server, which can also freeze the connection
 * half-open.
 */
class PingHeartbeatTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final Duration INTERVAL = Duration.ofMillis(300);

	private static final Duration TIMEOUT = Duration.ofMillis(300);

	private static final int MAX_FAILURES = 2;

	/** Scheduling slack on a busy 2-core machine. */
	private static final Duration TOLERANCE = Duration.ofMillis(700);

	@RegisterExtension
	final LiveClients live = LiveClients.raw();

	private WebsockexClient client;

	private Disposable pusher;

	@AfterEach
	void stop() {
		if (this.pusher != null) {
			this.pusher.dispose();
		}
	}

	private WebsockexClient start(String url) {
		Config config = Config.builder(url)
			.heartbeat(Heartbeat.ping(INTERVAL).withTimeout(TIMEOUT).withMaxFailures(MAX_FAILURES))
			.retryDelay(Duration.ofMillis(100))
			.maxBackoff(Duration.ofMillis(200))
			.backoffJitter(0)
			.connectTimeout(Duration.ofMillis(800))
			.build();
		this.client = this.live.connect("pinger", config);
		return this.client;
	}

	@Test
	void pingsEveryIntervalAndMeasuresTheRoundTrip() {
		WebsockexClient client = start(this.live.server().url());
		long started = System.nanoTime();
		await().atMost(WAIT).until(() -> this.live.server().pings() >= 4);
		long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
		assertThat(elapsedMillis).as("4 pings at a 300ms interval").isGreaterThanOrEqualTo(3 * 300 - 50);
		await().atMost(WAIT).until(() -> client.heartbeatHealth().lastRoundTrip() != null);
		HeartbeatHealth health = client.heartbeatHealth();
		assertThat(health.type()).isEqualTo(Heartbeat.Type.PING);
		assertThat(health.active()).isTrue();
		assertThat(health.lastSent()).isNotNull();
		assertThat(health.lastReceived()).isNotNull();
		assertThat(health.consecutiveFailures()).isZero();
		assertThat(health.totalFailures()).isZero();
		assertThat(health.lastRoundTrip()).isPositive().isLessThan(TIMEOUT);
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
		assertThat(this.live.server().connections()).isEqualTo(1);
	}

	@Test
	void declaresTheConnectionDeadWhenPongsStopAndReconnects() {
		WebsockexClient client = start(this.live.server().url());
		await().atMost(WAIT).until(() -> client.heartbeatHealth().lastRoundTrip() != null);
		List<Long> lostAt = new CopyOnWriteArrayList<>();
		client.states().filter((state) -> state == ConnectionState.CONNECTING).subscribe((state) -> {
			lostAt.add(System.nanoTime());
			this.live.server().autoPong(true);
		});
		long silentFrom = System.nanoTime();
		this.live.server().autoPong(false);
		await().atMost(WAIT).until(() -> !lostAt.isEmpty());
		assertDetectedInTime(silentFrom, lostAt.get(0));
		assertThat(client.metrics().lastError()).contains("no pong", "heartbeat.max-failures");
		assertThat(client.heartbeatHealth().totalFailures()).isEqualTo(MAX_FAILURES);
		await().atMost(WAIT)
			.until(() -> client.state() == ConnectionState.CONNECTED && this.live.server().connections() == 2);
		await().atMost(WAIT).until(() -> client.heartbeatHealth().active());
		assertThat(client.heartbeatHealth().consecutiveFailures()).isZero();
	}

	@Test
	void anyInboundFrameCountsAsProofOfLifeWithoutPongs() {
		WebsockexClient client = start(this.live.server().url());
		this.live.server().autoPong(false);
		this.pusher = Schedulers.parallel()
			.schedulePeriodically(() -> this.live.server().send("tick"), 0, 100, TimeUnit.MILLISECONDS);
		int pings = this.live.server().pings();
		// Well past interval + timeout * max-failures (900ms) with no pong at all.
		await().atMost(WAIT).until(() -> this.live.server().pings() >= pings + 6);
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
		assertThat(this.live.server().connections()).isEqualTo(1);
		assertThat(client.heartbeatHealth().totalFailures()).isZero();
	}

	@Test
	void detectsAHalfOpenConnectionWithinIntervalPlusTimeoutTimesMaxFailuresAndReconnectsAfterTheThaw() {
		WebsockexClient client = start(this.live.server().url());
		await().atMost(WAIT).until(() -> client.heartbeatHealth().lastRoundTrip() != null);
		List<Long> lostAt = new CopyOnWriteArrayList<>();
		client.states().filter((state) -> state == ConnectionState.CONNECTING).subscribe((state) -> {
			lostAt.add(System.nanoTime());
		});
		long frozenAt = System.nanoTime();
		this.live.server().freeze();
		await().atMost(WAIT).until(() -> !lostAt.isEmpty());
		assertDetectedInTime(frozenAt, lostAt.get(0));
		assertThat(client.metrics().lastError()).contains("half-open");
		// Still frozen: attempts hang in the upgrade and time out; nothing gets through.
		await().atMost(WAIT).until(() -> this.live.server().tcpConnections() >= 2);
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTING);
		this.live.server().thaw();
		await().atMost(WAIT).until(() -> client.state() == ConnectionState.CONNECTED);
		int pings = this.live.server().pings();
		await().atMost(WAIT).until(() -> this.live.server().pings() >= pings + 2);
		assertThat(client.heartbeatHealth().active()).isTrue();
		assertThat(client.heartbeatHealth().consecutiveFailures()).isZero();
	}

	private static void assertDetectedInTime(long silentFrom, long lostAt) {
		Duration detectedAfter = Duration.ofNanos(lostAt - silentFrom);
		Duration bound = INTERVAL.plus(TIMEOUT.multipliedBy(MAX_FAILURES));
		assertThat(detectedAfter).as("detection time").isLessThanOrEqualTo(bound.plus(TOLERANCE));
		// A ping sent just before the silence may fail early, but never before
		// max-failures timeouts have passed since then.
		assertThat(detectedAfter).as("detection time").isGreaterThanOrEqualTo(TIMEOUT.multipliedBy(MAX_FAILURES - 1));
	}

}
