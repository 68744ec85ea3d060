package io.websockex.adapter.platform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import io.websockex.adapter.Config;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.ratelimit.RateLimit;
import io.websockex.adapter.testing.LiveClients;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Restores and subscribes of many channels, split by {@code max-channels-per-subscribe}
 * and paced by the rate limiter, against a real server that refuses any subscribe
 * carrying more than 50 channels, as exchanges that cap channels per message do.
 */
class ChunkedSubscribeTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final int CAP = 50;

	private static final List<String> FIVE_HUNDRED = IntStream.range(0, 500)
		.mapToObj((i) -> "ticker.I" + i + ".raw")
		.toList();

	@RegisterExtension
	final LiveClients live = LiveClients.raw();

	/** Each subscribe call the server received: {nanoTime, channel count}. */
	private final List<long[]> subscribes = new CopyOnWriteArrayList<>();

	private final Set<String> accepted = java.util.concurrent.ConcurrentHashMap.newKeySet();

	private final List<Integer> refused = new CopyOnWriteArrayList<>();

	@BeforeEach
	void startCappedServer() {
		JsonMapper mapper = JsonMapper.shared();
		this.live.server().onText((session, text) -> {
			JsonNode request = mapper.readTree(text);
			ObjectNode response = mapper.createObjectNode().put("jsonrpc", "2.0");
			response.set("id", request.get("id"));
			JsonNode channels = request.path("params").path("channels");
			if (channels.size() > CAP) {
				this.refused.add(channels.size());
				response.putObject("error").put("code", 11050).put("message", "too many channels in one message");
			}
			else {
				this.subscribes.add(new long[] { System.nanoTime(), channels.size() });
				channels.valueStream().forEach((channel) -> this.accepted.add(channel.asString()));
				response.set("result", channels);
			}
			session.send(response.toString());
		});
	}

	private Config.Builder config() {
		return Config.builder(this.live.server().url())
			.platform(Platforms.deribit())
			.retryDelay(Duration.ofMillis(50))
			.backoffJitter(0)
			.maxChannelsPerSubscribe(CAP);
	}

	@Test
	void fiveHundredChannelsAreRestoredInTenPacedCallsAfterEveryConnect() {
		// 4 calls a second: ten calls need at least two refills after the first burst.
		WebsockexClient client = this.live.connect("many",
				config().subscriptions(FIVE_HUNDRED)
					.rateLimit(RateLimit.of(4).withRefill(4, Duration.ofSeconds(1)))
					.build());
		await().atMost(WAIT).until(() -> this.subscribes.size() == 10);
		assertThat(this.refused).isEmpty();
		assertThat(this.subscribes).allSatisfy((call) -> assertThat(call[1]).isEqualTo(CAP));
		assertThat(this.accepted).containsExactlyInAnyOrderElementsOf(FIVE_HUNDRED);
		assertThat(spanOf(this.subscribes)).isGreaterThan(Duration.ofMillis(1500));

		this.subscribes.clear();
		this.accepted.clear();
		this.live.server().drop();
		await().atMost(WAIT).until(() -> this.subscribes.size() == 10);
		assertThat(this.refused).isEmpty();
		assertThat(this.accepted).containsExactlyInAnyOrderElementsOf(FIVE_HUNDRED);
		assertThat(client.subscriptions()).hasSize(500);
	}

	@Test
	void aRunTimeSubscribeOfManyChannelsIsSplitToo() {
		WebsockexClient client = this.live.connect("many", config().build());
		client.subscribe(FIVE_HUNDRED.subList(0, 120).toArray(String[]::new)).block(WAIT);
		assertThat(this.subscribes).extracting((call) -> call[1]).containsExactly(50L, 50L, 20L);
		assertThat(this.accepted).containsExactlyInAnyOrderElementsOf(FIVE_HUNDRED.subList(0, 120));
		assertThat(client.subscriptions()).hasSize(120);
	}

	@Test
	void withoutTheCapTheServerRefusesTheOneBigRestore() {
		WebsockexClient client = this.live.connect("many",
				config().maxChannelsPerSubscribe(null).subscriptions(FIVE_HUNDRED).build());
		await().atMost(WAIT).until(() -> !this.refused.isEmpty());
		assertThat(this.refused).containsExactly(500);
		await().atMost(WAIT).until(() -> client.metrics().lastError() != null);
		assertThat(client.metrics().lastError()).contains("too many channels");
	}

	private static Duration spanOf(List<long[]> calls) {
		List<Long> times = new ArrayList<>(calls.stream().map((call) -> call[0]).toList());
		return Duration.ofNanos(times.stream().mapToLong(Long::longValue).max().orElse(0)
				- times.stream().mapToLong(Long::longValue).min().orElse(0));
	}

}
