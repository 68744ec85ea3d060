package io.websockex.adapter.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexClients;
import io.websockex.adapter.autoconfigure.WebsockexAutoConfiguration;
import io.websockex.adapter.autoconfigure.WebsockexConnectedEvent;
import io.websockex.adapter.autoconfigure.WebsockexDisconnectedEvent;
import io.websockex.adapter.autoconfigure.WebsockexObservabilityAutoConfiguration;
import io.websockex.adapter.autoconfigure.WebsockexSessionRotatedEvent;
import io.websockex.adapter.test.WebsockexTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an application sees of rotations and latency: a {@code max-connection-age} from
 * properties rotates the session, and the endpoint, the meters and the events tell the
 * rotations apart from failures; request percentiles reach the endpoint and the timer.
 */
class WebsockexRotationObservabilityTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private final WebsockexTestServer server = WebsockexTestServer.jsonRpc();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(WebsockexAutoConfiguration.class, WebsockexObservabilityAutoConfiguration.class))
		.withBean(SimpleMeterRegistry.class)
		.withBean(EventRecorder.class)
		.withPropertyValues("management.endpoints.web.exposure.include=websockex");

	WebsockexRotationObservabilityTests() {
		this.server.onRequest("public/test").reply("\"ok\"");
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void rotationsShowInTheEndpointMetersAndEventsApartFromFailures() {
		this.runner
			.withPropertyValues("websockex.clients.feed.url=" + this.server.url(),
					"websockex.clients.feed.max-connection-age=2s")
			.run((context) -> {
				WebsockexClient client = context.getBean(WebsockexClients.class).get("feed");
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				context.getBean(WebsockexMeters.class).bindTo(registry);
				client.awaitConnected().block(WAIT);
				await().atMost(WAIT).until(() -> client.metrics().rotations() >= 2);

				ClientDescriptor feed = context.getBean(WebsockexEndpoint.class).client("feed");
				assertThat(feed).isNotNull();
				assertThat(feed.state()).isEqualTo(ConnectionState.CONNECTED);
				assertThat(feed.rotations().maxConnectionAge()).isEqualTo("PT2S");
				assertThat(feed.rotations().count()).isGreaterThanOrEqualTo(2);
				assertThat(feed.rotations().lastAt()).isNotNull();
				assertThat(feed.reconnects()).isZero();
				assertThat(feed.lastError()).isNull();
				assertThat(registry.get("websockex.rotations").tag("client", "feed").functionCounter().count())
					.isGreaterThanOrEqualTo(2);
				assertThat(registry.get("websockex.reconnects").tag("client", "feed").functionCounter().count())
					.isZero();

				EventRecorder events = context.getBean(EventRecorder.class);
				await().atMost(WAIT).until(() -> events.of(WebsockexSessionRotatedEvent.class).size() >= 2);
				WebsockexSessionRotatedEvent rotated = events.of(WebsockexSessionRotatedEvent.class).get(0);
				assertThat(rotated.getClientName()).isEqualTo("feed");
				assertThat(rotated.getRotation().rotations()).isEqualTo(1);
				// 9/10 of the age, give or take the connect.
				assertThat(rotated.getRotation().replacedAge()).isBetween(Duration.ofMillis(1500),
						Duration.ofSeconds(3));
				assertThat(events.of(WebsockexConnectedEvent.class)).hasSize(1);
				assertThat(events.of(WebsockexDisconnectedEvent.class)).isEmpty();
			});
	}

	@Test
	void requestPercentilesReachTheEndpointAndTheTimerPublishesThemByDefault() {
		this.runner.withPropertyValues("websockex.clients.rpc.url=" + this.server.url()).run((context) -> {
			WebsockexClient client = context.getBean(WebsockexClients.class).get("rpc");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			context.getBean(WebsockexMeters.class).bindTo(registry);
			client.awaitConnected().block(WAIT);
			for (int i = 0; i < 20; i++) {
				client.request("public/test", Map.of()).block(WAIT);
			}

			ClientDescriptor rpc = context.getBean(WebsockexEndpoint.class).client("rpc");
			assertThat(rpc).isNotNull();
			ClientDescriptor.Percentiles requests = rpc.latency().requests();
			assertThat(requests.count()).isEqualTo(20);
			assertThat(requests.p50Ms()).isPositive();
			assertThat(requests.p99Ms()).isGreaterThanOrEqualTo(requests.p90Ms())
				.isGreaterThanOrEqualTo(requests.p50Ms());
			assertThat(requests.maxMs()).isGreaterThanOrEqualTo(requests.p99Ms());
			assertThat(rpc.latency().heartbeat().count()).isZero();

			Timer timer = registry.get("websockex.requests")
				.tags("client", "rpc", "method", "public/test", "outcome", "success")
				.timer();
			assertThat(timer.count()).isEqualTo(20);
			assertThat(timer.takeSnapshot().percentileValues()).extracting((value) -> value.percentile())
				.containsExactly(0.5, 0.9, 0.99);
		});
	}

	static class EventRecorder implements ApplicationListener<ApplicationEvent> {

		final List<ApplicationEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			this.events.add(event);
		}

		<T extends ApplicationEvent> List<T> of(Class<T> type) {
			return this.events.stream().filter(type::isInstance).map(type::cast).toList();
		}

	}

}
