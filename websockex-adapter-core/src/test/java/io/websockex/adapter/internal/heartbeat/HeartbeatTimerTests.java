package io.websockex.adapter.internal.heartbeat;

import java.time.Duration;

import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.testing.LiveClients;
import io.websockex.adapter.heartbeat.Heartbeat;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One heartbeat timer per connected client, whatever happened before: none while
 * disconnected, none after close, none leaked by reconnects.
 */
class HeartbeatTimerTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final Duration INTERVAL = Duration.ofMillis(200);

	@RegisterExtension
	final LiveClients live = LiveClients.raw();

	private WebsockexClient client;

	private WebsockexClient start(Heartbeat heartbeat) {
		Config config = Config.builder(this.live.server().url())
			.heartbeat(heartbeat)
			.retryDelay(Duration.ofMillis(5))
			.maxBackoff(Duration.ofMillis(5))
			.backoffJitter(0)
			.build();
		this.client = this.live.connect("timers", config);
		return this.client;
	}

	private static ConditionFactory awaitFast() {
		return await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
	}

	@Test
	void noTimerSurvivesAHundredReconnects() {
		int before = HeartbeatMonitor.armedTimers();
		WebsockexClient client = start(Heartbeat.ping(INTERVAL).withIdleTimeout(Duration.ofSeconds(5)));
		await().atMost(WAIT).until(() -> HeartbeatMonitor.armedTimers() == before + 1);
		for (int drop = 1; drop <= 100; drop++) {
			int upgrades = drop;
			awaitFast()
				.until(() -> this.live.server().openConnections().size() == 1 && client.heartbeatHealth().active());
			this.live.server().drop();
			awaitFast().until(() -> this.live.server().connections() == upgrades + 1);
		}
		await().atMost(WAIT)
			.until(() -> client.state() == ConnectionState.CONNECTED && client.heartbeatHealth().active());
		assertThat(client.metrics().reconnects()).isEqualTo(100);
		assertThat(HeartbeatMonitor.armedTimers()).as("armed heartbeat timers").isEqualTo(before + 1);
		// One timer pings once per interval; leaked timers would ping far more often.
		int pings = this.live.server().pings();
		long started = System.nanoTime();
		await().atMost(WAIT).until(() -> this.live.server().pings() >= pings + 5);
		Duration fivePings = Duration.ofNanos(System.nanoTime() - started);
		assertThat(fivePings).isGreaterThanOrEqualTo(INTERVAL.multipliedBy(4));
		client.close().block(WAIT);
		assertThat(HeartbeatMonitor.armedTimers()).as("armed heartbeat timers after close").isEqualTo(before);
		assertThat(client.heartbeatHealth().active()).isFalse();
	}

	@Test
	void noTimerRunsWhileDisconnected() {
		int before = HeartbeatMonitor.armedTimers();
		Config config = Config.builder(this.live.server().url())
			.heartbeat(Heartbeat.ping(INTERVAL))
			.retryDelay(Duration.ofSeconds(30))
			.maxBackoff(Duration.ofSeconds(30))
			.build();
		this.client = this.live.track(WebsockexClient.create("timers", config));
		assertThat(this.client.heartbeatHealth().active()).isFalse();
		this.client.start();
		this.client.awaitConnected().block(WAIT);
		await().atMost(WAIT).until(() -> this.client.heartbeatHealth().active());
		this.live.server().drop();
		await().atMost(WAIT).until(() -> this.client.state() == ConnectionState.CONNECTING);
		assertThat(this.client.heartbeatHealth().active()).isFalse();
		assertThat(HeartbeatMonitor.armedTimers()).isEqualTo(before);
	}

	@Test
	void typeNoneArmsNoTimerAndSendsNothing() {
		int before = HeartbeatMonitor.armedTimers();
		WebsockexClient client = start(Heartbeat.none());
		assertThat(HeartbeatMonitor.armedTimers()).isEqualTo(before);
		assertThat(client.heartbeatHealth().active()).isFalse();
		assertThat(client.heartbeatHealth().type()).isEqualTo(Heartbeat.Type.NONE);
		client.send("hello").block(WAIT);
		await().atMost(WAIT).until(() -> this.live.server().receivedTexts().contains("hello"));
		assertThat(this.live.server().pings()).isZero();
		assertThat(this.live.server().receivedTexts()).containsExactly("hello");
	}

}
