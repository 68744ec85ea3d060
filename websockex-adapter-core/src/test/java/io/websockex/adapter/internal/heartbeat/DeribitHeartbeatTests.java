package io.websockex.adapter.internal.heartbeat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.testing.LiveClients;
import io.websockex.adapter.heartbeat.Heartbeat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deribit's heartbeat protocol against a real server that speaks it: {@code
 * public/set_heartbeat}, {@code test_request}s answered with {@code public/test}, and a
 * dead server detected.
 */
class DeribitHeartbeatTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String TEST_REQUEST = "{\"jsonrpc\":\"2.0\",\"method\":\"heartbeat\",\"params\":{\"type\":\"test_request\"}}";

	private static final String HEARTBEAT = "{\"jsonrpc\":\"2.0\",\"method\":\"heartbeat\",\"params\":{\"type\":\"heartbeat\"}}";

	private final JsonMapper mapper = JsonMapper.shared();

	private final List<Integer> setHeartbeatIntervals = new CopyOnWriteArrayList<>();

	/** When each {@code public/test} arrived (nanoTime). */
	private final List<Long> testsReceived = new CopyOnWriteArrayList<>();

	/** Answers to user requests the server holds back. */
	private final List<Runnable> heldAnswers = new CopyOnWriteArrayList<>();

	private volatile boolean answerTests = true;

	@RegisterExtension
	final LiveClients live = LiveClients.raw();

	private WebsockexClient client;

	@BeforeEach
	void configureServer() {
		this.live.server().onText((session, text) -> {
			JsonNode message = this.mapper.readTree(text);
			long id = message.path("id").asLong();
			switch (message.path("method").asString("")) {
				case "public/set_heartbeat" -> {
					this.setHeartbeatIntervals.add(message.path("params").path("interval").asInt());
					session.send(result(id, "\"ok\""));
				}
				case "public/test" -> {
					this.testsReceived.add(System.nanoTime());
					if (this.answerTests) {
						session.send(result(id, "{\"version\":\"1.2.26\"}"));
					}
				}
				case "private/slow" -> this.heldAnswers.add(() -> session.send(result(id, "\"done\"")));
				default -> {
				}
			}
		});
	}

	private static String result(long id, String result) {
		return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":" + result + "}";
	}

	private WebsockexClient start(Heartbeat heartbeat) {
		Config config = Config.builder(this.live.server().url())
			.heartbeat(heartbeat)
			.retryDelay(Duration.ofMillis(100))
			.backoffJitter(0)
			.build();
		this.client = this.live.connect("deribit", config);
		return this.client;
	}

	@Test
	void setsTheHeartbeatAfterConnectAndKeepsHeartbeatTrafficOutOfMessages() {
		WebsockexClient client = start(Heartbeat.deribit(Duration.ofSeconds(15)));
		List<WebsockexMessage> messages = new CopyOnWriteArrayList<>();
		client.messages().subscribe(messages::add);
		await().atMost(WAIT).until(() -> this.setHeartbeatIntervals.equals(List.of(15)));
		await().atMost(WAIT).until(() -> client.heartbeatHealth().active());
		this.live.server().send(HEARTBEAT);
		this.live.server().send(TEST_REQUEST);
		await().atMost(WAIT).until(() -> this.testsReceived.size() == 1);
		this.live.server().send("{\"jsonrpc\":\"2.0\",\"method\":\"news\",\"params\":{}}");
		await().atMost(WAIT).until(() -> messages.size() == 1);
		assertThat(((WebsockexMessage.Text) messages.get(0)).text()).contains("news");
		assertThat(client.heartbeatHealth().type()).isEqualTo(Heartbeat.Type.DERIBIT);
		assertThat(client.heartbeatHealth().lastSent()).isNotNull();
		assertThat(client.heartbeatHealth().lastReceived()).isNotNull();
		await().atMost(WAIT).until(() -> client.metrics().pendingRequests() == 0);
		assertThat(client.heartbeatHealth().lastRoundTrip()).isNotNull();
		assertThat(client.heartbeatHealth().totalFailures()).isZero();
	}

	@Test
	void answersEveryTestRequestWhileUserRequestsAreQueued() {
		Duration interval = Duration.ofSeconds(10);
		WebsockexClient client = start(Heartbeat.deribit(interval));
		await().atMost(WAIT).until(() -> this.setHeartbeatIntervals.size() == 1);
		AtomicInteger userAnswered = new AtomicInteger();
		// 500 user requests in flight that the server sits on: whatever the client
		// sends after them would wait behind them if the heartbeat shared their path.
		Flux.range(0, 500)
			.flatMap((i) -> client.request("private/slow", Map.of("i", i)), 500)
			.subscribe((result) -> userAnswered.incrementAndGet());
		List<Long> testRequestsSent = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			int answered = this.testsReceived.size();
			testRequestsSent.add(System.nanoTime());
			this.live.server().send(TEST_REQUEST);
			await().atMost(WAIT)
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(5))
				.until(() -> this.testsReceived.size() == answered + 1);
		}
		await().atMost(WAIT).until(() -> this.heldAnswers.size() == 500);
		assertThat(userAnswered).hasValue(0);
		for (int i = 0; i < 20; i++) {
			Duration answeredAfter = Duration.ofNanos(this.testsReceived.get(i) - testRequestsSent.get(i));
			assertThat(answeredAfter).as("answer to test_request %d", i)
				.isLessThan(interval)
				.isLessThan(Duration.ofSeconds(1));
		}
		this.heldAnswers.forEach(Runnable::run);
		await().atMost(WAIT).until(() -> userAnswered.get() == 500);
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
	}

	@Test
	void declaresTheConnectionDeadWhenServerHeartbeatsAndAnswersStopAndSetsTheHeartbeatAgainAfterReconnecting() {
		// Deribit accepts no interval under 10s, so this test takes that long.
		Duration interval = Duration.ofSeconds(10);
		Duration timeout = Duration.ofMillis(300);
		WebsockexClient client = start(Heartbeat.deribit(interval).withTimeout(timeout).withMaxFailures(2));
		await().atMost(WAIT).until(() -> this.setHeartbeatIntervals.size() == 1);
		long silentFrom = System.nanoTime();
		this.answerTests = false;
		List<Long> lostAt = new CopyOnWriteArrayList<>();
		client.states().filter((state) -> state == ConnectionState.CONNECTING).subscribe((state) -> {
			lostAt.add(System.nanoTime());
			this.answerTests = true;
		});
		await().atMost(interval.plus(WAIT)).until(() -> !lostAt.isEmpty());
		Duration detectedAfter = Duration.ofNanos(lostAt.get(0) - silentFrom);
		assertThat(detectedAfter).isLessThanOrEqualTo(interval.plus(timeout.multipliedBy(2)).plusMillis(700))
			.isGreaterThanOrEqualTo(interval.plus(timeout));
		// One probe after the missed heartbeat, unanswered.
		assertThat(this.testsReceived).hasSize(1);
		assertThat(client.metrics().lastError()).contains("no Deribit heartbeat", "heartbeat.max-failures");
		await().atMost(WAIT).until(() -> client.state() == ConnectionState.CONNECTED);
		await().atMost(WAIT).until(() -> this.setHeartbeatIntervals.size() == 2);
	}

}
