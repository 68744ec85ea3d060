package io.websockex.adapter.example;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.websockex.adapter.Config;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.platform.Platforms;
import io.websockex.adapter.test.WebsockexTestServer;
import io.websockex.adapter.test.WebsockexTestServer.Platform;
import io.websockex.adapter.test.junit.WebsockexServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

// README: testing-junit
class OrderBookFeedTests {

	@WebsockexServer(platform = Platform.DERIBIT)
	WebsockexTestServer server;

	@Test
	void getsTheBookAgainAfterTheFeedDrops() {
		WebsockexClient client = WebsockexClient
			.connect(Config.builder(this.server.url())
				.platform(Platforms.deribit())
				.subscriptions(List.of("book.BTC-PERPETUAL.100ms"))
				.retryDelay(Duration.ofMillis(100))
				.build())
			.block(Duration.ofSeconds(10));
		List<JsonNode> updates = new CopyOnWriteArrayList<>();
		client.channel("book.BTC-PERPETUAL.100ms").subscribe(updates::add);

		this.server.awaitSubscribed("book.BTC-PERPETUAL.100ms");
		this.server.push("book.BTC-PERPETUAL.100ms", Map.of("change_id", 1));
		this.server.drop(1011); // the feed drops; the client reconnects and subscribes
								// again
		this.server.awaitSubscribed("book.BTC-PERPETUAL.100ms");
		this.server.push("book.BTC-PERPETUAL.100ms", Map.of("change_id", 2));

		await().atMost(Duration.ofSeconds(10)).until(() -> updates.size() == 2);
		assertThat(this.server.connections()).isEqualTo(2);
		client.close().block(Duration.ofSeconds(5)); // a connection left open fails the
														// test
	}

}
