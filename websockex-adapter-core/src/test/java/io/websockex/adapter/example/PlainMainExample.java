package io.websockex.adapter.example;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.websockex.adapter.Config;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.platform.Platforms;
import tools.jackson.databind.JsonNode;

/**
 * The README's plain-{@code main} example: the core client with no Spring at all. Run
 * against Deribit's test network with no argument, or against any server speaking its
 * shapes with its URL as the argument.
 */
public final class PlainMainExample {

	private PlainMainExample() {
	}

	public static void main(String[] args) {
		run((args.length > 0) ? args[0] : "wss://test.deribit.com/ws/api/v2", System.out);
	}

	static void run(String url, PrintStream out) {
		Config config = Config.builder(url)
			.platform(Platforms.deribit())
			.retryDelay(Duration.ofSeconds(1))
			.maxBackoff(Duration.ofSeconds(30))
			.build();
		WebsockexClient client = WebsockexClient.connect(config).block(Duration.ofSeconds(10));

		JsonNode time = client.request("public/get_time", Map.of()).block(Duration.ofSeconds(5));
		out.println("server time: " + time.asLong());

		// Listen first, then subscribe, so that no tick falls in between.
		CompletableFuture<List<JsonNode>> firstTicks = client.channel("ticker.BTC-PERPETUAL.raw")
			.take(3)
			.doOnNext((tick) -> out.println("last price: " + tick.get("last_price")))
			.collectList()
			.toFuture();
		client.subscribe("ticker.BTC-PERPETUAL.raw").block(Duration.ofSeconds(5));
		firstTicks.orTimeout(30, TimeUnit.SECONDS).join();

		client.close().block(Duration.ofSeconds(5));
	}

}
