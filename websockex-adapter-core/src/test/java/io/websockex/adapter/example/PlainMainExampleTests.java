package io.websockex.adapter.example;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.websockex.adapter.test.WebsockexTestServer;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's plain-main example runs as written against a local server.
 */
class PlainMainExampleTests {

	@Test
	void runsFromAPlainMainWithoutSpring() {
		try (WebsockexTestServer server = WebsockexTestServer.jsonRpc()) {
			server.onRequest("public/get_time").reply("1700000000000");
			server.onRequest("public/subscribe").replyWith((params) -> {
				// Ticks start once subscribed, as on the real exchange.
				Flux.range(1, 3)
					.delayElements(java.time.Duration.ofMillis(50), Schedulers.parallel())
					.subscribe((i) -> server.push("ticker.BTC-PERPETUAL.raw", Map.of("last_price", 100 + i)));
				return params.get("channels");
			});
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			PlainMainExample.run(server.url(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
			assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactly("server time: 1700000000000",
					"last price: 101", "last price: 102", "last price: 103");
		}
	}

}
