package io.websockex.adapter.example;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.websockex.adapter.WebsockexListener;
import io.websockex.adapter.test.WebsockexTestServer;
import io.websockex.adapter.test.spring.AutoConfigureWebsockexTestServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

import static org.awaitility.Awaitility.await;

// README: testing-spring
// The properties stand in for your application.yml, which needs no change.
@SpringBootTest(properties = { "websockex.clients.feed.url=wss://feed.example.com/ws/api/v2",
		"websockex.clients.feed.subscriptions=ticker.BTC-PERPETUAL.100ms" })
@AutoConfigureWebsockexTestServer // every websockex.clients.<name>.url now points at the
									// test server
class TickerCountTests {

	@Autowired
	WebsockexTestServer server;

	@Autowired
	TickerCounter counter;

	@Test
	void countsEveryTicker() {
		this.server.awaitSubscribed("ticker.BTC-PERPETUAL.100ms");
		for (int i = 0; i < 3; i++) {
			this.server.push("ticker.BTC-PERPETUAL.100ms", Map.of("last_price", 42000 + i));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.counter.count() == 3);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(TickerCounter.class)
	static class App {

	}

	@Component
	static class TickerCounter {

		private final AtomicInteger count = new AtomicInteger();

		@WebsockexListener(client = "feed", channel = "ticker.*")
		void onTicker(JsonNode ticker) {
			this.count.incrementAndGet();
		}

		int count() {
			return this.count.get();
		}

	}

}
