package io.websockex.adapter.actuate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexClients;
import io.websockex.adapter.autoconfigure.WebsockexAutoConfiguration;
import io.websockex.adapter.autoconfigure.WebsockexObservabilityAutoConfiguration;
import io.websockex.adapter.test.RawFrameServer;
import io.websockex.adapter.test.WebsockexTestServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server that sends what a client must refuse shows in the endpoint, by kind, with the
 * same counts as the {@code websockex.inbound.rejected} meter.
 */
class WebsockexInboundRejectedTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(WebsockexAutoConfiguration.class, WebsockexObservabilityAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class)
		.withPropertyValues("management.endpoints.web.exposure.include=websockex");

	@Test
	void oversizeAndForbiddenFramesAreCountedApartInTheEndpoint() throws Exception {
		try (WebsockexTestServer big = WebsockexTestServer.raw();
				RawFrameServer garbled = RawFrameServer.start((connection, index) -> {
					// The first connection only: RSV2 with no extension (1002).
					if (index == 0) {
						connection.writeFrame(true, 2, RawFrameServer.TEXT, "hi".getBytes(StandardCharsets.UTF_8));
					}
					connection.awaitClientClose();
				})) {
			this.runner
				.withPropertyValues("websockex.clients.big.url=" + big.url(),
						"websockex.clients.big.max-frame-size=1KB", "websockex.clients.big.retry-delay=100ms",
						"websockex.clients.garbled.url=" + garbled.url(), "websockex.clients.garbled.retry-delay=100ms")
				.run((context) -> {
					WebsockexClients clients = context.getBean(WebsockexClients.class);
					WebsockexClient bigClient = clients.get("big");
					WebsockexClient garbledClient = clients.get("garbled");
					MeterRegistry registry = context.getBean(MeterRegistry.class);
					context.getBean(WebsockexMeters.class).bindTo(registry);
					bigClient.awaitConnected().block(WAIT);
					big.oversize(4096);
					await().atMost(WAIT).until(() -> bigClient.metrics().inboundTooLarge() == 1);
					await().atMost(WAIT).until(() -> garbledClient.metrics().protocolErrors() == 1);

					WebsockexEndpoint endpoint = context.getBean(WebsockexEndpoint.class);
					ClientDescriptor bigView = endpoint.client("big");
					ClientDescriptor garbledView = endpoint.client("garbled");
					assertThat(bigView).isNotNull();
					assertThat(garbledView).isNotNull();
					assertThat(bigView.inboundRejected()).isEqualTo(new ClientDescriptor.InboundRejected(1, 0));
					assertThat(garbledView.inboundRejected()).isEqualTo(new ClientDescriptor.InboundRejected(0, 1));
					assertThat(registry.get("websockex.inbound.rejected")
						.tags("client", "big", "reason", "too-large")
						.functionCounter()
						.count()).isEqualTo(1);
					assertThat(registry.get("websockex.inbound.rejected")
						.tags("client", "garbled", "reason", "protocol-error")
						.functionCounter()
						.count()).isEqualTo(1);
					// Both reconnect and go on.
					bigClient.awaitConnected().block(WAIT);
					garbledClient.awaitConnected().block(WAIT);
				});
			assertThat(garbled.errors()).isEmpty();
		}
	}

}
