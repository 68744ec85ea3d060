package io.websockex.adapter.example;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.websockex.adapter.ClientMetrics;
import io.websockex.adapter.Config;
import io.websockex.adapter.Latency;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.autoconfigure.WebsockexAutoConfiguration;
import io.websockex.adapter.test.WebsockexTestServer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's rotation and latency snippets, compiled and run as written.
 */
class ReadmeObservabilityExamplesTests {

	private static final Logger logger = LoggerFactory.getLogger(ReadmeObservabilityExamplesTests.class);

	@Test
	void theRotationYamlBindsMaxConnectionAge() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(WebsockexAutoConfiguration.class))
			.withPropertyValues("websockex.clients.binance.url=wss://stream.example.com/ws",
					"websockex.clients.binance.max-connection-age=23h", "websockex.clients.binance.auto-startup=false")
			.run((context) -> {
				Config config = context.getBean("binanceWebsockexConfig", Config.class);
				assertThat(config.maxConnectionAge()).isEqualTo(Duration.ofHours(23));
			});
		assertThat(Config.builder("wss://stream.example.com/ws")
			.maxConnectionAge(Duration.ofHours(23))
			.build()
			.maxConnectionAge()).isEqualTo(Duration.ofHours(23));
	}

	@Test
	void theLatencyAndRotationSnippetRuns() {
		try (WebsockexTestServer server = WebsockexTestServer.jsonRpc()) {
			server.onRequest("public/get_time").reply("1700000000000");
			WebsockexClient client = WebsockexClient.create("feed",
					Config.builder(server.url()).maxConnectionAge(Duration.ofSeconds(2)).build());
			try {
				List<Long> rotations = new CopyOnWriteArrayList<>();
				client.observeRotations((rotation) -> rotations.add(rotation.rotations()));
				client.start();
				client.awaitConnected().block(Duration.ofSeconds(10));
				client.request("public/get_time", Map.of()).block(Duration.ofSeconds(5));

				// As in the README:
				ClientMetrics metrics = client.metrics();
				Latency requests = metrics.requestLatency();
				if (requests.count() > 0 && requests.p99().compareTo(Duration.ofMillis(50)) > 0) {
					logger.warn("{}: request p99 {} over {} requests (max {})", client.name(), requests.p99(),
							requests.count(), requests.max());
				}
				client.observeRotations((rotation) -> logger.info("{}: new session after {} ({} rotations)",
						client.name(), rotation.replacedAge(), rotation.rotations()));

				assertThat(requests.count()).isEqualTo(1);
				assertThat(requests.max()).isPositive();
				await().atMost(Duration.ofSeconds(10)).until(() -> !rotations.isEmpty());
				assertThat(rotations.get(0)).isEqualTo(1);
			}
			finally {
				client.close().block(Duration.ofSeconds(10));
			}
		}
	}

}
