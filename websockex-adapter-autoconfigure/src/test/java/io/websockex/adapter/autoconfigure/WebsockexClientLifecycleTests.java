package io.websockex.adapter.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.DisconnectReason;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexClients;
import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.test.TestConnection;
import io.websockex.adapter.test.WebsockexTestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients start and stop with the application context, against a real server.
 */
class WebsockexClientLifecycleTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final WebsockexTestServer server = WebsockexTestServer.raw();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebsockexAutoConfiguration.class));

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void clientsConnectWhenTheContextStarts() {
		this.runner
			.withPropertyValues("websockex.clients.one.url=" + this.server.url(),
					"websockex.clients.two.url=" + this.server.url())
			.run((context) -> {
				WebsockexClients clients = context.getBean(WebsockexClients.class);
				for (WebsockexClient client : clients) {
					client.awaitConnected().block(WAIT);
					assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
				}
				await().atMost(WAIT).until(() -> this.server.connections() == 2);
				assertThat(context.getBean("oneWebsockexClient", WebsockexClientLifecycle.class).isRunning()).isTrue();
			});
	}

	@Test
	void clientWithoutAutoStartupStaysDisconnectedUntilStarted() {
		this.runner
			.withPropertyValues("websockex.clients.lazy.url=" + this.server.url(),
					"websockex.clients.lazy.auto-startup=false")
			.run((context) -> {
				WebsockexClient client = context.getBean(WebsockexClients.class).get("lazy");
				assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
				assertThat(this.server.upgradeRequests().size()).isZero();
				client.start();
				client.awaitConnected().block(WAIT);
				// The server counts an upgrade once its handler runs, just after the
				// client
				// sees it complete.
				await().atMost(WAIT).until(() -> this.server.connections() == 1);
			});
	}

	@Test
	void connectedAndDisconnectedEventsArePublished() {
		this.runner
			.withPropertyValues("websockex.clients.feed.url=" + this.server.url(),
					"websockex.clients.feed.retry-count=0")
			.withBean(EventRecorder.class)
			.run((context) -> {
				EventRecorder events = context.getBean(EventRecorder.class);
				await().atMost(WAIT)
					.until(() -> events.events.stream().anyMatch(WebsockexConnectedEvent.class::isInstance));
				WebsockexConnectedEvent connected = (WebsockexConnectedEvent) events.events.get(0);
				assertThat(connected.getClientName()).isEqualTo("feed");
				assertThat(connected.getClient()).isSameAs(context.getBean("feedWebsockexClient"));
				this.server.openConnections().forEach((session) -> session.close(1011, "going away"));
				await().atMost(WAIT)
					.until(() -> events.events.stream().anyMatch(WebsockexDisconnectedEvent.class::isInstance));
				WebsockexDisconnectedEvent disconnected = events.events.stream()
					.filter(WebsockexDisconnectedEvent.class::isInstance)
					.map(WebsockexDisconnectedEvent.class::cast)
					.findFirst()
					.orElseThrow();
				assertThat(disconnected.getClientName()).isEqualTo("feed");
				assertThat(disconnected.getReason()).isEqualTo(DisconnectReason.GAVE_UP);
				assertThat(disconnected.getMessage()).isNotBlank();
			});
	}

	@Test
	void closingTheContextSendsClose1000WithinTheShutdownTimeout() {
		this.runner
			.withPropertyValues("websockex.clients.feed.url=" + this.server.url(),
					"websockex.clients.feed.shutdown-timeout=2s")
			.run((context) -> {
				WebsockexClient client = context.getBean(WebsockexClients.class).get("feed");
				client.awaitConnected().block(WAIT);
				await().atMost(WAIT).until(() -> this.server.openConnections().size() == 1);
				TestConnection session = this.server.openConnections().get(0);
				long started = System.nanoTime();
				context.close();
				assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
				await().atMost(WAIT).until(() -> session.closeCode() == 1000);
				assertThat(client.metrics().disconnectReason()).isEqualTo(DisconnectReason.CLOSED_BY_USER);
			});
	}

	@Test
	void stoppingTheContextClosesEachClientWithCode1000() {
		this.runner
			.withPropertyValues("websockex.clients.feed.url=" + this.server.url(),
					"websockex.clients.feed.shutdown-timeout=2s")
			.run((context) -> {
				WebsockexClient client = context.getBean(WebsockexClients.class).get("feed");
				client.awaitConnected().block(WAIT);
				await().atMost(WAIT).until(() -> this.server.openConnections().size() == 1);
				TestConnection session = this.server.openConnections().get(0);
				long started = System.nanoTime();
				context.stop();
				Duration took = Duration.ofNanos(System.nanoTime() - started);
				assertThat(took).isLessThan(Duration.ofSeconds(3));
				await().atMost(WAIT).until(() -> session.closeCode() == 1000);
				assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
				assertThat(client.metrics().disconnectReason()).isEqualTo(DisconnectReason.CLOSED_BY_USER);
			});
	}

	@Test
	void aStoppedContextStartedAgainReconnectsTheSameClientForItsSubscribers() {
		this.server.onText((session, text) -> session.send("echo:" + text));
		this.runner
			.withPropertyValues("websockex.clients.feed.url=" + this.server.url(),
					"websockex.clients.feed.fail-fast=true", "websockex.clients.feed.retry-delay=50ms")
			.run((context) -> {
				WebsockexClient client = context.getBean(WebsockexClients.class).get("feed");
				client.awaitConnected().block(WAIT);
				List<String> received = new CopyOnWriteArrayList<>();
				client.messages().subscribe((m) -> received.add(((WebsockexMessage.Text) m).text()));
				// An error from before the restart, which fail-fast must not take for
				// the restart's.
				this.server.drop();
				await().atMost(WAIT).until(() -> client.metrics().reconnects() == 1);
				assertThat(client.metrics().lastError()).isNotNull();
				context.stop();
				assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
				context.start();
				client.awaitConnected().block(WAIT);
				client.send("after restart").block(WAIT);
				await().atMost(WAIT).until(() -> received.contains("echo:after restart"));
				assertThat(this.server.connections()).isEqualTo(3);
				assertThat(context.getBean("feedWebsockexClient", WebsockexClientLifecycle.class).isRunning()).isTrue();
			});
	}

	@Test
	void failFastFailsTheContextWhenTheFirstConnectionFails() {
		this.server.refuseUpgrade(503);
		this.runner
			.withPropertyValues("websockex.clients.feed.url=" + this.server.url(),
					"websockex.clients.feed.fail-fast=true", "websockex.clients.feed.connect-timeout=3s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause().isNotNull();
				FailureAnalysis analysis = new WebsockexStartupFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("'feed'")
					.contains(this.server.url())
					.contains("websockex.clients.feed.fail-fast");
				assertThat(analysis.getAction()).contains("websockex.clients.feed.fail-fast to false");
			});
		// Failed before the retry delay elapsed: one attempt only.
		assertThat(this.server.upgradeRequests().size()).isEqualTo(1);
	}

	@Test
	void failFastFailsTheContextWhenNothingListens() {
		int port = this.server.port();
		this.server.close();
		long started = System.nanoTime();
		this.runner
			.withPropertyValues("websockex.clients.feed.url=ws://127.0.0.1:" + port + "/ws",
					"websockex.clients.feed.fail-fast=true")
			.run((context) -> assertThat(context).hasFailed().getFailure().rootCause().isNotNull());
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
	}

	@Test
	void failFastStartsTheContextWhenTheServerAnswers() {
		this.runner
			.withPropertyValues("websockex.clients.feed.url=" + this.server.url(),
					"websockex.clients.feed.fail-fast=true")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(WebsockexClients.class).get("feed").state())
					.isEqualTo(ConnectionState.CONNECTED);
			});
	}

	static class EventRecorder implements ApplicationListener<ApplicationEvent> {

		final List<ApplicationEvent> events = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			if (event instanceof WebsockexConnectedEvent || event instanceof WebsockexDisconnectedEvent) {
				this.events.add(event);
			}
		}

	}

}
