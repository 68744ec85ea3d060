package io.websockex.adapter.autoconfigure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.DisconnectReason;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexClients;
import io.websockex.adapter.ratelimit.ConnectRateLimiter;
import io.websockex.adapter.test.WebsockexTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client registered at run time lives and dies with the context, and the connect-rate
 * properties make one shared limiter.
 */
class RuntimeClientLifecycleTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final WebsockexTestServer server = WebsockexTestServer.raw();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebsockexAutoConfiguration.class));

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void aRunTimeClientIsClosedWithTheContext() {
		AtomicReference<WebsockexClient> registered = new AtomicReference<>();
		this.runner.run((context) -> {
			WebsockexClient client = context.getBean(WebsockexClients.class)
				.register("tenant-a", Config.builder(this.server.url()).build());
			client.awaitConnected().block(WAIT);
			registered.set(client);
		});
		WebsockexClient client = registered.get();
		assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
		assertThat(client.metrics().disconnectReason()).isEqualTo(DisconnectReason.CLOSED_BY_USER);
		this.server.awaitNoOpenConnections(WAIT);
	}

	@Test
	void withoutConnectRatePropertiesThereIsNoLimiter() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(ConnectRateLimiter.class));
	}

	@Test
	void connectRatePropertiesMakeOneLimiter() {
		this.runner
			.withPropertyValues("websockex.connect-rate.attempts=300", "websockex.connect-rate.interval=5m",
					"websockex.connect-rate.max-queue=50")
			.run((context) -> {
				ConnectRateLimiter limiter = context.getBean(ConnectRateLimiter.class);
				assertThat(limiter.attempts()).isEqualTo(300);
				assertThat(limiter.interval()).isEqualTo(Duration.ofMinutes(5));
			});
	}

	@Test
	void anInvalidConnectRateFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("websockex.connect-rate.attempts=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("websockex.connect-rate.attempts must be at least 1"));
	}

}
