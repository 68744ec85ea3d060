package io.websockex.adapter.internal.recording;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class FrameRecorderTests {

	private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T04:20:00.123456Z"), ZoneOffset.UTC);

	@TempDir
	Path dir;

	@Test
	void writesEveryFrameWithItsTimeAndDirection() throws IOException {
		Path file = this.dir.resolve("feed.jsonl");
		try (FrameRecorder recorder = new FrameRecorder("feed", file, 1024 * 1024, 2, CLOCK, 16)) {
			recorder.outbound("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"public/get_time\"}");
			recorder.inbound("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":1}");
			recorder.inbound(new byte[] { 1, 2, 3 });
			assertThat(recorder.awaitWritten(Duration.ofSeconds(10))).isTrue();
		}
		List<JsonNode> lines = read(file);
		assertThat(lines).hasSize(3);
		assertThat(lines.get(0).get("time").asString()).isEqualTo("2026-11-30T04:20:00.123456Z");
		assertThat(lines.get(0).get("direction").asString()).isEqualTo("out");
		assertThat(lines.get(0).get("text").asString())
			.isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"public/get_time\"}");
		assertThat(lines.get(1).get("direction").asString()).isEqualTo("in");
		assertThat(lines.get(2).get("binary").asString()).isEqualTo("AQID");
	}

	@Test
	void masksAuthParamsAndTokensAndLeavesOtherFramesByteForByte() throws IOException {
		Path file = this.dir.resolve("auth.jsonl");
		try (FrameRecorder recorder = new FrameRecorder("feed", file, 1024 * 1024, 2, CLOCK, 16)) {
			recorder.outbound("{\"id\":1,\"method\":\"public/auth\",\"params\":{\"grant_type\":\"client_credentials\","
					+ "\"client_id\":\"my-id\",\"client_secret\":\"my-secret\"}}");
			recorder.inbound("{\"id\":1,\"result\":{\"access_token\":\"tok-1\",\"refresh_token\":\"tok-2\","
					+ "\"expires_in\":900}}");
			recorder.outbound("{\"method\":\"private/buy\",\"params\":{\"x\":{\"api_key\":\"k\"}},\"id\":2}");
			recorder.outbound("{ \"method\" : \"public/get_time\" }");
			recorder.outbound("not json client_secret=abc");
			assertThat(recorder.awaitWritten(Duration.ofSeconds(10))).isTrue();
		}
		String content = Files.readString(file);
		assertThat(content).doesNotContain("my-id", "my-secret", "tok-1", "tok-2", "\\\"k\\\"");
		List<JsonNode> lines = read(file);
		JsonNode auth = JsonMapper.shared().readTree(lines.get(0).get("text").asString());
		assertThat(auth.get("params").get("grant_type").asString()).isEqualTo("client_credentials");
		assertThat(auth.get("params").get("client_secret").asString()).isEqualTo("***");
		JsonNode token = JsonMapper.shared().readTree(lines.get(1).get("text").asString());
		assertThat(token.get("result").get("expires_in").asInt()).isEqualTo(900);
		assertThat(lines.get(3).get("text").asString()).isEqualTo("{ \"method\" : \"public/get_time\" }");
	}

	@Test
	void rotatesBeforeTheFileOutgrowsItsSizeKeepingMaxFiles() throws IOException {
		Path file = this.dir.resolve("big.jsonl");
		String payload = "x".repeat(400);
		try (FrameRecorder recorder = new FrameRecorder("feed", file, 1024, 2, CLOCK, 64)) {
			for (int i = 0; i < 10; i++) {
				recorder.inbound(payload + i);
			}
			assertThat(recorder.awaitWritten(Duration.ofSeconds(10))).isTrue();
		}
		assertThat(Files.size(file)).isLessThanOrEqualTo(1024);
		assertThat(file.resolveSibling("big.jsonl.1")).exists();
		assertThat(file.resolveSibling("big.jsonl.2")).exists();
		assertThat(file.resolveSibling("big.jsonl.3")).doesNotExist();
		List<JsonNode> last = read(file);
		assertThat(last.get(last.size() - 1).get("text").asString()).isEqualTo(payload + 9);
	}

	@Test
	void aFileThatCannotBeWrittenNeverFailsTheFramePath() throws IOException {
		Path blocker = Files.writeString(this.dir.resolve("not-a-dir"), "");
		try (FrameRecorder recorder = new FrameRecorder("feed", blocker.resolve("x.jsonl"), 4096, 1, CLOCK, 4)) {
			for (int i = 0; i < 100; i++) {
				recorder.inbound("frame " + i);
			}
			assertThat(recorder.awaitWritten(Duration.ofSeconds(2))).isFalse();
			assertThat(recorder.dropped()).isPositive();
		}
	}

	@Test
	void refusesATinyMaximumSizeNamingTheProperty() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FrameRecorder("feed", this.dir.resolve("f"), 10, 1))
			.withMessageContaining("recording.max-file-size")
			.withMessageContaining("'feed'");
	}

	private static List<JsonNode> read(Path file) throws IOException {
		return Files.readAllLines(file).stream().map((line) -> JsonMapper.shared().readTree(line)).toList();
	}

}
