package io.websockex.adapter.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionLostException;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.heartbeat.Heartbeat;
import io.websockex.adapter.ratelimit.RateLimit;
import io.websockex.adapter.test.WebsockexTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each meter of {@link WebsockexMeters} carries the value of a known exchange with a real
 * server, not merely exists.
 */
class WebsockexMetersTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private final WebsockexTestServer server = WebsockexTestServer.deribit().noRateLimit();

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private WebsockexClient client;

	private WebsockexMeters meters;

	@AfterEach
	void stop() {
		if (this.meters != null) {
			this.meters.destroy();
		}
		if (this.client != null) {
			this.client.close().block(WAIT);
		}
		this.server.close();
	}

	@Test
	void everyMeterCountsWhatHappened() {
		this.server.onRequest("silent/never").noReply();
		this.client = WebsockexClient.create("measured", Config.builder(this.server.url())
			.heartbeat(Heartbeat.ping(Duration.ofMillis(200)).withTimeout(Duration.ofMillis(150)).withMaxFailures(1000))
			.rateLimit(RateLimit.of(3).withRefill(3, Duration.ofMinutes(1)).withMaxQueue(1))
			.requestTimeout(Duration.ofMinutes(1))
			.inboundBuffer(4)
			.retryDelay(Duration.ofMillis(50))
			.build());
		this.meters = new WebsockexMeters(() -> Map.of("measured", this.client), null);
		this.meters.bindTo(this.registry);
		this.client.start();
		this.client.awaitConnected().block(WAIT);

		// The server answers pings: a round trip is measured.
		await().atMost(WAIT).until(() -> this.client.heartbeatHealth().lastRoundTrip() != null);
		assertThat(value("websockex.heartbeat.rtt")).isGreaterThan(0).isLessThan(WAIT.toMillis());

		// Three tokens: a subscribe of two channels, a send, a request never answered;
		// then one send waits for a token and the next is refused.
		this.client.subscribe("a", "b").block(WAIT);
		this.client.send("plain").block(WAIT);
		List<Throwable> silentError = new CopyOnWriteArrayList<>();
		this.client.request("silent/never", Map.of()).subscribe(null, silentError::add);
		await().atMost(WAIT).until(() -> this.client.metrics().pendingRequests() == 1);
		this.client.send("queued").subscribe(null, (error) -> {
		});
		await().atMost(WAIT).until(() -> this.client.metrics().rateLimitQueued() == 1);
		this.client.send("refused").subscribe(null, (error) -> {
		});
		await().atMost(WAIT).until(() -> this.client.metrics().rateLimitRejected() == 1);
		assertThat(value("websockex.subscriptions")).isEqualTo(2);
		assertThat(value("websockex.requests.pending")).isEqualTo(1);
		assertThat(value("websockex.ratelimit.queued")).isEqualTo(1);
		assertThat(value("websockex.ratelimit.rejected")).isEqualTo(1);

		// Three frames of known size from the server.
		double framesBefore = value("websockex.messages.received");
		double bytesBefore = value("websockex.bytes.received");
		for (int i = 0; i < 3; i++) {
			this.server.send("0123456789");
		}
		await().atMost(WAIT).until(() -> value("websockex.messages.received") == framesBefore + 3);
		assertThat(value("websockex.bytes.received")).isEqualTo(bytesBefore + 30);

		// A subscriber that requests nothing overflows its buffer of four.
		List<Throwable> overflow = new CopyOnWriteArrayList<>();
		BaseSubscriber<WebsockexMessage> stalled = new BaseSubscriber<>() {

			@Override
			protected void hookOnSubscribe(Subscription subscription) {
			}

			@Override
			protected void hookOnError(Throwable error) {
				overflow.add(error);
			}

		};
		this.client.messages().subscribe(stalled);
		for (int i = 0; i < 10; i++) {
			this.server.send("flood");
		}
		// What was buffered is delivered first, then the overflow.
		await().atMost(WAIT).until(() -> value("websockex.messages.received") >= framesBefore + 13);
		stalled.requestUnbounded();
		await().atMost(WAIT).until(() -> overflow.size() == 1);
		assertThat(value("websockex.inbound.overflows")).isEqualTo(1);

		// The server stops answering pings: failures count, the connection stays.
		assertThat(value("websockex.heartbeat.failures")).isZero();
		this.server.autoPong(false);
		await().atMost(WAIT).until(() -> value("websockex.heartbeat.failures") >= 2);
		assertThat(value("websockex.heartbeat.failures")).isEqualTo(this.client.heartbeatHealth().totalFailures(),
				org.assertj.core.data.Offset.offset(1.0));
		this.server.autoPong(true);

		// A drop: one reconnect, and nothing is pending any more.
		assertThat(value("websockex.reconnects")).isZero();
		this.server.drop();
		await().atMost(WAIT)
			.until(() -> value("websockex.reconnects") == 1 && this.client.state() == ConnectionState.CONNECTED);
		// The unanswered request failed with the drop; what may be pending now is the
		// restore of the two channels, waiting for a token of the next minute.
		await().atMost(WAIT).until(() -> silentError.size() == 1);
		assertThat(silentError.get(0)).isInstanceOf(ConnectionLostException.class);
		assertThat(value("websockex.requests.pending")).isEqualTo(this.client.metrics().pendingRequests())
			.isLessThanOrEqualTo(1);
	}

	private double value(String name) {
		return this.registry.find(name).tag("client", "measured").meters().stream().findFirst().map((meter) -> {
			for (var measurement : meter.measure()) {
				return measurement.getValue();
			}
			return Double.NaN;
		}).orElseThrow(() -> new AssertionError("no meter " + name));
	}

}
