package io.websockex.adapter.actuate;

import java.time.Duration;

import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.test.WebsockexTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The endpoint's write operations, once the user opens its access.
 */
@SpringBootTest(classes = WebsockexEndpointWriteAccessTests.App.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=websockex,health",
				"management.endpoint.websockex.access=unrestricted", "management.endpoint.health.show-details=always" })
@AutoConfigureWebTestClient
class WebsockexEndpointWriteAccessTests {

	static final WebsockexTestServer server = WebsockexTestServer.raw();

	@Autowired
	private WebTestClient http;

	@Autowired
	private WebsockexClient client;

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void reconnectDropsTheSessionAndConnectsAgainCloseStopsItAndReconnectBringsItBack() {
		await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections().size() == 1);
		this.http.post().uri("/actuator/websockex/ops/reconnect").exchange().expectStatus().isOk();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> server.connections() == 2 && this.client.state() == ConnectionState.CONNECTED);
		assertThat(this.client.metrics().reconnects()).isEqualTo(1);

		this.http.post().uri("/actuator/websockex/ops/pause").exchange().expectStatus().isBadRequest();
		this.http.post().uri("/actuator/websockex/nope/close").exchange().expectStatus().isNotFound();

		this.http.post()
			.uri("/actuator/websockex/ops/close")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.state")
			.isEqualTo("DISCONNECTED")
			.jsonPath("$.disconnectReason")
			.isEqualTo("CLOSED_BY_USER");
		this.http.get()
			.uri("/actuator/health/websockex/ops")
			.exchange()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UNKNOWN")
			.jsonPath("$.details.reason")
			.isEqualTo("CLOSED_BY_USER");
		// The operator's close is not final: reconnect brings the same client back.
		this.http.post().uri("/actuator/websockex/ops/reconnect").exchange().expectStatus().isOk();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> server.connections() == 3 && this.client.state() == ConnectionState.CONNECTED);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean(destroyMethod = "close")
		WebsockexClient ops() {
			WebsockexClient client = WebsockexClient.create("ops", Config.builder(server.url()).build());
			client.start();
			return client;
		}

	}

}
