package io.websockex.samples.marketfeed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.test.WebsockexTestServer;
import io.websockex.adapter.test.WebsockexTestServer.Timing;
import io.websockex.samples.marketfeed.sim.SimulatedExchange;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.BeanFactoryAnnotationUtils;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.util.TestSocketUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The record-then-replay workflow on the sample: the application records its feed from
 * the simulated exchange ({@code websockex.clients.exchange.recording.path}), and the
 * same application, pointed at a {@link WebsockexTestServer} replaying that recording,
 * receives exactly the tickers it counted while recording, without the simulator.
 */
class MarketFeedRecordAndReplayTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final JsonMapper json = JsonMapper.shared();

	@TempDir
	Path dir;

	@Test
	void aRecordingOfTheSimulatedFeedReplaysTheSameTickerCountIntoTheApplication() throws IOException {
		Path recording = this.dir.resolve("exchange.jsonl");
		long recordedTickers = record(recording);
		assertThat(recordedTickers).isGreaterThanOrEqualTo(60);
		assertThat(tickerNotifications(recording)).as("tickers in the closed recording").isEqualTo(recordedTickers);
		assertHoldsNoSecret(recording);

		try (WebsockexTestServer exchange = WebsockexTestServer.raw().replay(recording, Timing.AS_FAST_AS_POSSIBLE);
				ConfigurableApplicationContext app = run("--server.port=0",
						"--websockex.clients.exchange.url=" + exchange.url(),
						// The replay is silent once the recording is played: keep the
						// idle
						// timeout from reconnecting (which replays it all again) while
						// the
						// count is checked.
						"--websockex.clients.exchange.heartbeat.idle-timeout=60s")) {
			FeedReporter reporter = app.getBean(FeedReporter.class);
			WebsockexClient client = exchange(app);
			await().atMost(WAIT).until(() -> reporter.tickersReceived() >= recordedTickers);
			// Not one more: the count holds once the replay has pushed everything.
			await().during(Duration.ofSeconds(1))
				.atMost(WAIT)
				.until(() -> reporter.tickersReceived() == recordedTickers);
			assertThat(exchange.connections()).isEqualTo(1);
			assertThat(client.metrics().reconnects()).isZero();
			assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
			assertThat(exchange.methods()).contains("public/auth", "public/set_heartbeat");
		}
	}

	/**
	 * Run the sample against its simulator with recording on, until it has counted some
	 * tickers; then silence the simulator, so that what the application counted and what
	 * the recording holds can be compared at rest.
	 * @return the tickers the application received
	 */
	private long record(Path recording) {
		// The client's URL is bound from ${server.port} before the web server starts, so
		// the port is picked up front (see MarketFeedApplicationTests).
		try (ConfigurableApplicationContext app = run("--server.port=" + TestSocketUtils.findAvailableTcpPort(),
				"--websockex.clients.exchange.recording.path=" + recording)) {
			FeedReporter reporter = app.getBean(FeedReporter.class);
			WebsockexClient client = exchange(app);
			await().atMost(WAIT).until(() -> reporter.tickersReceived() >= 60);
			app.getBean(SimulatedExchange.class).stall(Duration.ofSeconds(60)).block(Duration.ofSeconds(5));
			// Every ticker counted is in the file and none is still on its way; well
			// within
			// the 3 s idle timeout, after which the silent simulator would be reconnected
			// to.
			await().during(Duration.ofMillis(500))
				.atMost(WAIT)
				.until(() -> tickerNotifications(recording) == reporter.tickersReceived());
			assertThat(client.metrics().reconnects()).isZero();
			return reporter.tickersReceived();
		}
	}

	private static WebsockexClient exchange(ConfigurableApplicationContext app) {
		return BeanFactoryAnnotationUtils.qualifiedBeanOfType(app.getBeanFactory(), WebsockexClient.class, "exchange");
	}

	private static ConfigurableApplicationContext run(String... args) {
		String[] all = new String[args.length + 2];
		System.arraycopy(args, 0, all, 0, args.length);
		all[args.length] = "--server.address=127.0.0.1";
		all[args.length + 1] = "--market-feed.summary-interval=1s";
		return new SpringApplicationBuilder(MarketFeedApplication.class).run(all);
	}

	/** Ticker notifications the recording client received, so far written. */
	private static long tickerNotifications(Path recording) throws IOException {
		if (!Files.exists(recording)) {
			return 0;
		}
		return frames(recording).stream()
			.filter((frame) -> frame.path("direction").asString("").equals("in"))
			.map((frame) -> parse(frame.path("text").asString("")))
			.filter((text) -> text != null && text.path("method").asString("").equals("subscription")
					&& text.path("params").path("channel").asString("").startsWith("ticker."))
			.count();
	}

	private static void assertHoldsNoSecret(Path recording) throws IOException {
		String content = Files.readString(recording, StandardCharsets.UTF_8);
		assertThat(content).doesNotContain("sample-secret", "sample-client");
		List<JsonNode> texts = frames(recording).stream()
			.map((frame) -> parse(frame.path("text").asString("")))
			.toList();
		JsonNode auth = texts.stream()
			.filter((text) -> text != null && text.path("method").asString("").equals("public/auth"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("the recording holds no public/auth request"));
		// The sample signs its auth: the secret is never sent, and the signature, which
		// proves knowledge of it, is masked like any secret.
		assertThat(auth.path("params").path("grant_type").asString()).isEqualTo("client_signature");
		assertThat(auth.path("params").has("client_secret")).isFalse();
		assertThat(auth.path("params").path("signature").asString()).isEqualTo("***");
		List<JsonNode> tokens = texts.stream()
			.filter((text) -> text != null && text.path("result").has("access_token"))
			.toList();
		assertThat(tokens).as("the auth answer is recorded").isNotEmpty().allSatisfy((answer) -> {
			assertThat(answer.path("result").path("access_token").asString()).isEqualTo("***");
			assertThat(answer.path("result").path("refresh_token").asString()).isEqualTo("***");
		});
	}

	private static List<JsonNode> frames(Path recording) throws IOException {
		// The file is read while the recorder writes it: a last line half written is
		// skipped.
		return Files.readAllLines(recording, StandardCharsets.UTF_8)
			.stream()
			.map(MarketFeedRecordAndReplayTests::parse)
			.filter((frame) -> frame != null)
			.toList();
	}

	private static @Nullable JsonNode parse(String text) {
		if (text.isEmpty()) {
			return null;
		}
		try {
			return json.readTree(text);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

}
