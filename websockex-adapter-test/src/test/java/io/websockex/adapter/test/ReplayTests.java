package io.websockex.adapter.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.websockex.adapter.test.WebsockexTestServer.Timing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link WebsockexTestServer#replay(Path, Timing)} of JSON Lines recordings.
 */
class ReplayTests {

	private static final Instant T0 = Instant.parse("2026-11-30T04:00:00Z");

	private final WebsockexTestServer server = WebsockexTestServer.raw();

	@TempDir
	Path dir;

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void answersRecordedRequestsByMethodAndPushesNotificationsOnlyOnceSubscribed() throws IOException {
		Path recording = write(
				line(0, "out", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"public/auth\",\"params\":{}}"),
				line(10, "in", "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"access_token\":\"***\"}}"),
				line(20, "in", "{\"greeting\":1}"),
				line(30, "out",
						"{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"public/subscribe\",\"params\":{\"channels\":[\"t\"]}}"),
				line(40, "in", "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":[\"t\"]}"), notification(50, "t", 1),
				notification(60, "t", 2), notification(70, "t", 3));
		this.server.replay(recording, Timing.AS_FAST_AS_POSSIBLE);
		try (RawClient client = RawClient.connect(this.server)) {
			assertThat(client.next()).isEqualTo("{\"greeting\":1}");
			client.request(9, "public/auth", "{}");
			JsonNode auth = client.nextJson();
			assertThat(auth.get("id").asInt()).isEqualTo(9);
			assertThat(auth.get("result").get("access_token").asString()).isEqualTo("***");
			assertThat(client.next(Duration.ofMillis(300))).as("nothing before the subscription").isNull();
			client.request(10, "public/subscribe", "{\"channels\":[\"t\"]}");
			assertThat(client.nextJson().get("result").get(0).asString()).isEqualTo("t");
			List<Integer> data = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				data.add(client.nextJson().get("params").get("data").asInt());
			}
			assertThat(data).containsExactly(1, 2, 3);
		}
	}

	@Test
	void originalTimingKeepsTheRecordedSpacing() throws IOException {
		Path recording = write(line(0, "in", "first"), line(600, "in", "second"));
		this.server.replay(recording, Timing.ORIGINAL);
		try (RawClient client = RawClient.connect(this.server)) {
			long start = System.nanoTime();
			assertThat(client.next()).isEqualTo("first");
			assertThat(client.next()).isEqualTo("second");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
		}
	}

	@Test
	void asFastAsPossibleIgnoresTheSpacing() throws IOException {
		Path recording = write(line(0, "in", "first"), line(60_000, "in", "second"));
		this.server.replay(recording, Timing.AS_FAST_AS_POSSIBLE);
		try (RawClient client = RawClient.connect(this.server)) {
			assertThat(client.next()).isEqualTo("first");
			assertThat(client.next()).isEqualTo("second");
		}
	}

	@Test
	void binaryFramesAreReplayedFromBase64() throws IOException {
		Path recording = write("{\"time\":\"" + T0 + "\",\"direction\":\"in\",\"binary\":\"AQID\"}",
				line(1, "in", "after"));
		this.server.replay(recording, Timing.AS_FAST_AS_POSSIBLE);
		try (RawClient client = RawClient.connect(this.server)) {
			// The raw client queues text frames only: the binary one went first, in
			// order.
			assertThat(client.next()).isEqualTo("after");
		}
	}

	@Test
	void aLineThatIsNotAFrameFailsNamingTheLine() throws IOException {
		Path recording = write(line(0, "in", "ok"),
				"{\"time\":\"" + T0 + "\",\"direction\":\"sideways\",\"text\":\"x\"}");
		assertThatThrownBy(() -> this.server.replay(recording)).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("line 2")
			.hasMessageContaining("use in or out");
	}

	private Path write(String... lines) throws IOException {
		Path file = this.dir.resolve("recording.jsonl");
		Files.write(file, List.of(lines));
		return file;
	}

	private static String line(long millis, String direction, String text) {
		return JsonMapper.shared()
			.createObjectNode()
			.put("time", T0.plusMillis(millis).toString())
			.put("direction", direction)
			.put("text", text)
			.toString();
	}

	private static String notification(long millis, String channel, int data) {
		return line(millis, "in", "{\"jsonrpc\":\"2.0\",\"method\":\"subscription\",\"params\":{\"channel\":\""
				+ channel + "\",\"data\":" + data + "}}");
	}

}
