package io.websockex.adapter.testserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.websockex.adapter.Config;
import io.websockex.adapter.Credentials;
import io.websockex.adapter.Recording;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.platform.Platforms;
import io.websockex.adapter.test.WebsockexTestServer;
import io.websockex.adapter.test.WebsockexTestServer.Platform;
import io.websockex.adapter.test.WebsockexTestServer.Timing;
import io.websockex.adapter.test.junit.WebsockexServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client records a session with {@link Config.Builder#recording(Recording)}; the test
 * server replays the file to a second client, which sees the same answers and tickers.
 */
class RecordAndReplayTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final String CHANNEL = "ticker.BTC-PERPETUAL.100ms";

	@WebsockexServer(platform = Platform.DERIBIT)
	WebsockexTestServer exchange;

	@WebsockexServer(platform = Platform.RAW)
	WebsockexTestServer replay;

	@TempDir
	Path dir;

	@Test
	void aRecordedSessionReplaysTheSameTickersWithItsSecretsMasked() throws IOException {
		Path file = this.dir.resolve("feed.jsonl");
		WebsockexClient recorded = recordingClient("recorded", file);
		List<JsonNode> recordedTicks = new CopyOnWriteArrayList<>();
		recorded.channel(CHANNEL).subscribe(recordedTicks::add);
		recorded.start();
		recorded.awaitConnected().block(WAIT);
		assertThat(recorded.request("public/get_time", Map.of()).block(WAIT).asLong()).isEqualTo(1700000000000L);
		this.exchange.awaitSubscribed(CHANNEL);
		for (int i = 0; i < 5; i++) {
			this.exchange.push(CHANNEL, Map.of("last_price", 42000 + i));
		}
		await().atMost(WAIT).until(() -> recordedTicks.size() == 5);
		recorded.close().block(WAIT);

		String recording = Files.readString(file);
		assertThat(recording).doesNotContain("s3cret-value", "reader")
			.contains("\"direction\":\"out\"")
			.contains("\"direction\":\"in\"");

		this.replay.replay(file, Timing.AS_FAST_AS_POSSIBLE);
		WebsockexClient replayed = WebsockexClient.create("replayed", config(this.replay).build());
		List<JsonNode> replayedTicks = new CopyOnWriteArrayList<>();
		replayed.channel(CHANNEL).subscribe(replayedTicks::add);
		replayed.start();
		try {
			replayed.awaitConnected().block(WAIT);
			assertThat(replayed.request("public/get_time", Map.of()).block(WAIT).asLong()).isEqualTo(1700000000000L);
			await().atMost(WAIT).until(() -> replayedTicks.size() == 5);
			assertThat(replayedTicks).isEqualTo(recordedTicks);
			assertThat(this.replay.methods()).contains("public/auth", "private/subscribe");
		}
		finally {
			replayed.close().block(WAIT);
		}
	}

	@Test
	void closingWithoutWaitingStillCompletesTheRecordingAndStopsItsThread() throws IOException {
		Path file = this.dir.resolve("unwaited.jsonl");
		WebsockexClient client = recordingClient("unwaited", file);
		client.start();
		client.awaitConnected().block(WAIT);
		assertThat(client.request("public/get_time", Map.of()).block(WAIT).asLong()).isEqualTo(1700000000000L);
		assertThat(recorderThreads("unwaited")).isNotEmpty();
		// Nobody subscribes: the close still happens, and so does the recorder's.
		client.close();
		await().atMost(WAIT).until(() -> recorderThreads("unwaited").isEmpty());
		assertThat(Files.readString(file)).contains("public/get_time").contains("1700000000000");
		assertThat(client.state().name()).isEqualTo("DISCONNECTED");
	}

	// A client of the exchange (which asks for its credentials and answers get_time)
	// that records to the file.
	private WebsockexClient recordingClient(String name, Path file) {
		this.exchange.credentials("reader", "s3cret-value");
		this.exchange.onRequest("public/get_time").reply("1700000000000");
		return WebsockexClient.create(name, config(this.exchange).recording(Recording.to(file)).build());
	}

	private static List<Thread> recorderThreads(String client) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals("websockex-recorder-" + client) && thread.isAlive())
			.toList();
	}

	private static Config.Builder config(WebsockexTestServer server) {
		return Config.builder(server.url())
			.platform(Platforms.deribit())
			.auth(new Credentials("reader", "s3cret-value"))
			.subscriptions(List.of(CHANNEL));
	}

}
