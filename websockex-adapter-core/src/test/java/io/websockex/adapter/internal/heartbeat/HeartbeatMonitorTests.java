package io.websockex.adapter.internal.heartbeat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.websockex.adapter.heartbeat.Heartbeat;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitor's timing in virtual time, with a link that records what the heartbeat asks
 * of the session: pure timing logic that would take the real intervals (Deribit's are at
 * least 10s) end to end. The wire is covered by the end-to-end tests.
 */
class HeartbeatMonitorTests {

	private static final JsonMapper mapper = JsonMapper.shared();

	private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

	private final RecordingLink link = new RecordingLink();

	private HeartbeatMonitor monitor;

	@AfterEach
	void stop() {
		if (this.monitor != null) {
			this.monitor.onDisconnected();
		}
		this.time.dispose();
	}

	private HeartbeatMonitor monitor(Heartbeat settings) {
		this.monitor = new HeartbeatMonitor("unit", settings, this.time, () -> this.time.now(TimeUnit.NANOSECONDS));
		this.monitor.onConnected(this.link).block(Duration.ofSeconds(5));
		return this.monitor;
	}

	private void advanceTo(Duration sinceStart) {
		this.time.advanceTimeTo(java.time.Instant.ofEpochMilli(0).plus(sinceStart));
	}

	@Test
	void pingDeclaresASilentConnectionDeadAtIntervalPlusTimeoutTimesMaxFailures() {
		monitor(Heartbeat.ping(Duration.ofSeconds(1)).withTimeout(Duration.ofSeconds(1)).withMaxFailures(3));
		advanceTo(Duration.ofMillis(3999));
		assertThat(this.link.dead).isNull();
		assertThat(this.monitor.health().consecutiveFailures()).isEqualTo(2);
		advanceTo(Duration.ofSeconds(4));
		assertThat(this.link.dead).contains("3 time(s) in a row");
		assertThat(this.link.calls).containsExactly("ping", "ping", "ping");
		assertThat(this.monitor.health().active()).isFalse();
		assertThat(this.monitor.health().totalFailures()).isEqualTo(3);
	}

	@Test
	void pingStaysAliveWhileFramesArriveAndResetsTheFailureCount() {
		monitor(Heartbeat.ping(Duration.ofSeconds(1)).withTimeout(Duration.ofMillis(500)).withMaxFailures(2));
		advanceTo(Duration.ofMillis(1500));
		assertThat(this.monitor.health().consecutiveFailures()).isEqualTo(1);
		// A frame every 250ms: every probe sees one within its 500ms timeout.
		for (int millis = 1750; millis <= 30_000; millis += 250) {
			this.monitor.onFrame();
			advanceTo(Duration.ofMillis(millis));
		}
		assertThat(this.link.dead).isNull();
		assertThat(this.monitor.health().consecutiveFailures()).isZero();
		assertThat(this.monitor.health().totalFailures()).isEqualTo(1);
		assertThat(this.monitor.health().active()).isTrue();
	}

	@Test
	void pingMeasuresTheRoundTripFromPingToPong() {
		monitor(Heartbeat.ping(Duration.ofSeconds(1)));
		advanceTo(Duration.ofSeconds(1));
		advanceTo(Duration.ofMillis(1040));
		this.monitor.onFrame();
		this.monitor.onPong();
		assertThat(this.monitor.health().lastRoundTrip()).isEqualTo(Duration.ofMillis(40));
	}

	@Test
	void deribitSetsTheIntervalInSecondsAndAnswersEachTestRequestAtOnce() {
		monitor(Heartbeat.deribit(Duration.ofSeconds(15)));
		assertThat(this.link.calls).containsExactly("public/set_heartbeat {interval=15}");
		assertThat(this.monitor.consume(
				json("{\"jsonrpc\":\"2.0\",\"method\":\"heartbeat\"," + "\"params\":{\"type\":\"test_request\"}}"),
				this.link))
			.isTrue();
		assertThat(this.link.calls).containsExactly("public/set_heartbeat {interval=15}", "public/test {}");
		assertThat(this.monitor.consume(
				json("{\"jsonrpc\":\"2.0\",\"method\":\"heartbeat\",\"params\":{\"type\":\"heartbeat\"}}"), this.link))
			.isTrue();
		assertThat(this.link.calls).hasSize(2);
		assertThat(this.monitor.consume(json("{\"jsonrpc\":\"2.0\",\"method\":\"subscription\",\"params\":{}}"),
				this.link))
			.isFalse();
		assertThat(this.monitor.consume(json("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":\"heartbeat\"}"), this.link))
			.isFalse();
	}

	@Test
	void deribitServerHeartbeatsKeepTheConnectionAliveAndAMissingOneIsProbed() {
		monitor(Heartbeat.deribit(Duration.ofSeconds(10)).withTimeout(Duration.ofSeconds(1)).withMaxFailures(2));
		for (int second = 9; second <= 45; second += 9) {
			advanceTo(Duration.ofSeconds(second));
			this.monitor.consume(json("{\"method\":\"heartbeat\",\"params\":{\"type\":\"heartbeat\"}}"), this.link);
		}
		assertThat(this.monitor.health().totalFailures()).isZero();
		// The next heartbeat (due at 55s) never comes: a failure at 56s, and a probe,
		// which the server answers.
		advanceTo(Duration.ofMillis(55999));
		assertThat(this.monitor.health().totalFailures()).isZero();
		advanceTo(Duration.ofSeconds(56));
		assertThat(this.monitor.health().totalFailures()).isEqualTo(1);
		assertThat(this.link.calls).last().isEqualTo("public/test {}");
		advanceTo(Duration.ofSeconds(57));
		assertThat(this.monitor.health().consecutiveFailures()).isZero();
		// Now it answers nothing: failures at 67s (heartbeat overdue) and 68s (probe).
		this.link.answer = false;
		advanceTo(Duration.ofMillis(67999));
		assertThat(this.link.dead).isNull();
		assertThat(this.monitor.health().consecutiveFailures()).isEqualTo(1);
		advanceTo(Duration.ofSeconds(68));
		assertThat(this.link.dead).contains("no Deribit heartbeat", "heartbeat.max-failures");
		assertThat(this.monitor.health().totalFailures()).isEqualTo(3);
	}

	@Test
	void idleTimeoutWatchesEveryFrameIndependentlyOfTheType() {
		monitor(Heartbeat.none().withIdleTimeout(Duration.ofSeconds(2)));
		assertThat(this.monitor.health().active()).isTrue();
		for (int second = 1; second <= 10; second++) {
			this.monitor.onFrame();
			advanceTo(Duration.ofSeconds(second));
		}
		this.monitor.onFrame();
		assertThat(this.link.dead).isNull();
		advanceTo(Duration.ofMillis(11999));
		assertThat(this.link.dead).isNull();
		advanceTo(Duration.ofSeconds(12));
		assertThat(this.link.dead).contains("heartbeat.idle-timeout");
		assertThat(this.link.calls).isEmpty();
	}

	@Test
	void aNewSessionReplacesTheTimerOfTheOldOneAndDisconnectStopsIt() {
		int before = HeartbeatMonitor.armedTimers();
		monitor(Heartbeat.ping(Duration.ofSeconds(1)));
		assertThat(HeartbeatMonitor.armedTimers()).isEqualTo(before + 1);
		RecordingLink second = new RecordingLink();
		this.monitor.onConnected(second).block(Duration.ofSeconds(5));
		assertThat(HeartbeatMonitor.armedTimers()).isEqualTo(before + 1);
		advanceTo(Duration.ofMillis(1500));
		assertThat(this.link.calls).isEmpty();
		assertThat(second.calls).containsExactly("ping");
		this.monitor.onDisconnected();
		this.monitor.onDisconnected();
		assertThat(HeartbeatMonitor.armedTimers()).isEqualTo(before);
		advanceTo(Duration.ofSeconds(60));
		assertThat(second.calls).containsExactly("ping");
		assertThat(second.dead).isNull();
	}

	private static JsonNode json(String text) {
		return mapper.readTree(text);
	}

	/**
	 * Records what the heartbeat asks of the session; answers requests unless told not
	 * to.
	 */
	static final class RecordingLink implements HeartbeatLink {

		final List<String> calls = new CopyOnWriteArrayList<>();

		volatile boolean answer = true;

		volatile @Nullable String dead;

		@Override
		public Mono<Void> ping() {
			this.calls.add("ping");
			return Mono.empty();
		}

		@Override
		public Mono<Void> sendText(String text) {
			this.calls.add("text " + text);
			return Mono.empty();
		}

		@Override
		public Mono<JsonNode> request(String method, Object params) {
			return Mono.defer(() -> {
				this.calls.add(method + " " + params);
				return this.answer ? Mono.just(StringNode.valueOf("ok")) : Mono.never();
			});
		}

		@Override
		public void declareDead(String reason) {
			this.dead = reason;
		}

	}

}
