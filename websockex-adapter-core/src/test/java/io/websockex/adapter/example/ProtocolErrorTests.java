package io.websockex.adapter.example;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.websockex.adapter.Config;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.test.RawFrameServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

// README: testing-raw-frames
class ProtocolErrorTests {

	@Test
	void closesWithAProtocolErrorWhenTheServerSetsAReservedBit() throws IOException {
		Queue<Integer> closeCodes = new ConcurrentLinkedQueue<>();
		try (RawFrameServer server = RawFrameServer.start((connection, index) -> {
			// A text frame with RSV2 set, which no extension agreed: a protocol error.
			connection.writeFrame(true, 2, RawFrameServer.TEXT, "hi".getBytes(StandardCharsets.UTF_8));
			closeCodes.add(connection.awaitClientClose());
		})) {
			WebsockexClient client = WebsockexClient.create("feed", Config.builder(server.url()).build());
			client.start();
			await().atMost(Duration.ofSeconds(10)).until(() -> closeCodes.contains(1002));
			client.close().block(Duration.ofSeconds(5));
			assertThat(server.errors()).isEmpty();
		}
	}

}
