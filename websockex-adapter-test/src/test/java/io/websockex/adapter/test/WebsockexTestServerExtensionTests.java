package io.websockex.adapter.test;

import io.websockex.adapter.test.WebsockexTestServer.Platform;
import io.websockex.adapter.test.junit.WebsockexServer;
import io.websockex.adapter.test.junit.WebsockexTestServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The JUnit 5 extension: injection, stopping, and failing a test that leaks a connection.
 */
class WebsockexTestServerExtensionTests {

	@Test
	void injectsStartedServersAndStopsThem() {
		TestExecutionSummary summary = run(Injected.class);
		assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
		assertThat(summary.getFailures()).isEmpty();
		assertThat(Injected.seen.openConnections()).isEmpty();
		assertThatServerIsStopped(Injected.seen);
	}

	@Test
	void failsATestThatLeavesAConnectionOpen() {
		TestExecutionSummary summary = run(Leaking.class);
		assertThat(summary.getTestsFailedCount()).isEqualTo(1);
		assertThat(summary.getFailures().get(0).getException()).hasMessageContaining("left open")
			.hasMessageContaining("client.close()");
		Leaking.client.close();
	}

	private static void assertThatServerIsStopped(WebsockexTestServer server) {
		RawClient client = RawClient.connect(server.url());
		assertThat(client.awaitFailure()).isNotNull();
	}

	private static TestExecutionSummary run(Class<?> testClass) {
		LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
			.selectors(selectClass(testClass))
			.configurationParameter("junit.jupiter.conditions.deactivate", "*")
			.build();
		Launcher launcher = LauncherFactory.create();
		SummaryGeneratingListener listener = new SummaryGeneratingListener();
		launcher.execute(request, listener);
		return listener.getSummary();
	}

	@ExtendWith(WebsockexTestServerExtension.class)
	static class Injected {

		static WebsockexTestServer seen;

		@WebsockexServer(platform = Platform.DERIBIT)
		WebsockexTestServer server;

		WebsockexTestServer plain;

		@Test
		void fieldAndParameterShareTheServer(WebsockexTestServer parameter) {
			seen = this.server;
			assertThat(parameter).isSameAs(this.server);
			assertThat(this.server.platform()).isEqualTo(Platform.DERIBIT);
			assertThat(this.plain.platform()).isEqualTo(Platform.JSON_RPC);
			try (RawClient client = RawClient.connect(this.server)) {
				client.request(1, "public/get_time", "{}");
				assertThat(client.nextJson().has("result")).isTrue();
			}
		}

	}

	static class Leaking {

		static RawClient client;

		@WebsockexServer
		WebsockexTestServer server;

		@Test
		void leavesItsClientOpen() {
			client = RawClient.connect(this.server);
		}

	}

}
