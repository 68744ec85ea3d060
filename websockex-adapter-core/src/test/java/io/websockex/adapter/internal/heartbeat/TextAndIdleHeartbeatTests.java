package io.websockex.adapter.internal.heartbeat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.testing.LiveClients;
import io.websockex.adapter.heartbeat.Heartbeat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code text} heartbeats and the {@code idle-timeout} watchdog against a real server.
 */
class TextAndIdleHeartbeatTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final Duration INTERVAL = Duration.ofMillis(300);

	private static final Duration TIMEOUT = Duration.ofMillis(300);

	private static final Duration TOLERANCE = Duration.ofMillis(700);

	@RegisterExtension
	final LiveClients live = LiveClients.raw();

	private WebsockexClient client;

	private volatile boolean answering = true;

	private Disposable pusher;

	@BeforeEach
	void configureServer() {
		this.live.server().onText((session, text) -> {
			if (text.equals("{\"op\":\"ping\"}") && this.answering) {
				session.send("{\"op\":\"pong\"}");
			}
		});
	}

	@AfterEach
	void stop() {
		if (this.pusher != null) {
			this.pusher.dispose();
		}
	}

	private WebsockexClient start(Heartbeat heartbeat) {
		Config config = Config.builder(this.live.server().url())
			.heartbeat(heartbeat)
			.retryDelay(Duration.ofMillis(100))
			.backoffJitter(0)
			.build();
		this.client = this.live.connect("texter", config);
		return this.client;
	}

	private long textHeartbeatsReceived() {
		return this.live.server().receivedTexts().stream().filter("{\"op\":\"ping\"}"::equals).count();
	}

	@Test
	void sendsTheMessageEveryIntervalAndStaysUpWhileTheServerAnswers() {
		WebsockexClient client = start(Heartbeat.text(INTERVAL, "{\"op\":\"ping\"}").withTimeout(TIMEOUT));
		List<WebsockexMessage> messages = new CopyOnWriteArrayList<>();
		client.messages().subscribe(messages::add);
		long started = System.nanoTime();
		await().atMost(WAIT).until(() -> textHeartbeatsReceived() >= 4);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(INTERVAL.multipliedBy(3));
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
		assertThat(this.live.server().connections()).isEqualTo(1);
		assertThat(client.heartbeatHealth().totalFailures()).isZero();
		assertThat(client.heartbeatHealth().lastSent()).isNotNull();
		assertThat(this.live.server().pings()).isZero();
		// The server's answers are ordinary messages.
		await().atMost(WAIT).until(() -> !messages.isEmpty());
		assertThat(((WebsockexMessage.Text) messages.get(0)).text()).isEqualTo("{\"op\":\"pong\"}");
	}

	@Test
	void declaresTheConnectionDeadWhenTheServerStopsAnsweringAndReconnects() {
		WebsockexClient client = start(
				Heartbeat.text(INTERVAL, "{\"op\":\"ping\"}").withTimeout(TIMEOUT).withMaxFailures(2));
		await().atMost(WAIT).until(() -> textHeartbeatsReceived() >= 2);
		List<Long> lostAt = new CopyOnWriteArrayList<>();
		client.states().filter((state) -> state == ConnectionState.CONNECTING).subscribe((state) -> {
			lostAt.add(System.nanoTime());
			this.answering = true;
		});
		long silentFrom = System.nanoTime();
		this.answering = false;
		await().atMost(WAIT).until(() -> !lostAt.isEmpty());
		assertThat(Duration.ofNanos(lostAt.get(0) - silentFrom))
			.isLessThanOrEqualTo(INTERVAL.plus(TIMEOUT.multipliedBy(2)).plus(TOLERANCE));
		assertThat(client.metrics().lastError()).contains("heartbeat message", "heartbeat.max-failures");
		await().atMost(WAIT)
			.until(() -> client.state() == ConnectionState.CONNECTED && this.live.server().connections() == 2);
	}

	@Test
	void idleTimeoutClosesASilentFeedAndReconnects() {
		Duration idle = Duration.ofMillis(500);
		WebsockexClient client = start(Heartbeat.none().withIdleTimeout(idle));
		await().atMost(WAIT).until(() -> client.heartbeatHealth().active());
		this.pusher = Schedulers.parallel()
			.schedulePeriodically(() -> this.live.server().send("tick"), 0, 100, TimeUnit.MILLISECONDS);
		List<Long> lostAt = new CopyOnWriteArrayList<>();
		client.states().filter((state) -> state == ConnectionState.CONNECTING).subscribe((state) -> {
			lostAt.add(System.nanoTime());
		});
		// A feed that keeps pushing stays up well past the idle timeout.
		long messages = client.metrics().messagesReceived();
		await().atMost(WAIT).until(() -> client.metrics().messagesReceived() >= messages + 15);
		assertThat(lostAt).isEmpty();
		this.pusher.dispose();
		long silentFrom = System.nanoTime();
		await().atMost(WAIT).until(() -> !lostAt.isEmpty());
		assertThat(Duration.ofNanos(lostAt.get(0) - silentFrom)).isLessThanOrEqualTo(idle.plus(TOLERANCE));
		assertThat(client.metrics().lastError()).contains("no inbound frame for PT0.5S", "heartbeat.idle-timeout");
		await().atMost(WAIT)
			.until(() -> client.state() == ConnectionState.CONNECTED && this.live.server().connections() == 2);
		assertThat(this.live.server().pings()).isZero();
	}

}
