package io.websockex.adapter.actuate;

import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.websockex.adapter.WebsockexClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The endpoint, health and meters of a running application, over HTTP.
 */
@SpringBootTest(classes = ObservedClients.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=websockex,health,metrics",
				"management.endpoint.health.show-details=always" })
@AutoConfigureWebTestClient
class WebsockexObservabilityTests {

	@Autowired
	private WebTestClient http;

	@Autowired
	private MeterRegistry registry;

	@Autowired
	@Qualifier("plain")
	private WebsockexClient plain;

	@Autowired
	@Qualifier("feed")
	private WebsockexClient feed;

	@Test
	void endpointListsEveryClientWithItsState() {
		// The feed's auth answer says the token lives 900 s: the endpoint shows until
		// when.
		await().atMost(Duration.ofSeconds(10)).until(() -> this.feed.authenticatedUntil() != null);
		this.http.get()
			.uri("/actuator/websockex")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.clients.feed.state")
			.isEqualTo("CONNECTED")
			.jsonPath("$.clients.feed.url")
			.isEqualTo("ws://******@127.0.0.1:" + ObservedClients.server.port() + "/ws?token=******")
			.jsonPath("$.clients.feed.connectedSince")
			.exists()
			.jsonPath("$.clients.feed.reconnects")
			.isEqualTo(0)
			.jsonPath("$.clients.feed.heartbeat.type")
			.isEqualTo("none")
			.jsonPath("$.clients.feed.messages.in")
			.exists()
			.jsonPath("$.clients.feed.bytes.out")
			.exists()
			.jsonPath("$.clients.feed.pendingRequests")
			.isEqualTo(0)
			.jsonPath("$.clients.feed.inboundRejected.tooLarge")
			.isEqualTo(0)
			.jsonPath("$.clients.feed.inboundRejected.protocolErrors")
			.isEqualTo(0)
			.jsonPath("$.clients.feed.authenticatedUntil")
			.isEqualTo(this.feed.authenticatedUntil().toString())
			.jsonPath("$.clients.plain.authenticatedUntil")
			.doesNotExist()
			.jsonPath("$.clients.plain.state")
			.isEqualTo("CONNECTED");
	}

	@Test
	void oneClientByNameAndUnknownNamesAre404() {
		this.http.get()
			.uri("/actuator/websockex/plain")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.state")
			.isEqualTo("CONNECTED")
			.jsonPath("$.subscriptions.count")
			.isEqualTo(0);
		this.http.get().uri("/actuator/websockex/nope").exchange().expectStatus().isNotFound();
	}

	@Test
	void writeOperationsAreRefusedByDefault() {
		this.http.post().uri("/actuator/websockex/plain/close").exchange().expectStatus().is4xxClientError();
		assertThat(this.plain.state().name()).isEqualTo("CONNECTED");
	}

	@Test
	void secretsAppearNowhere() {
		String endpoint = body("/actuator/websockex") + body("/actuator/websockex/feed");
		String health = body("/actuator/health") + body("/actuator/health/websockex/feed");
		String metrics = body("/actuator/metrics") + body("/actuator/metrics/websockex.messages.received")
				+ body("/actuator/metrics/websockex.requests");
		assertThat(endpoint).contains("\"feed\"");
		assertThat(health).contains("websockex");
		assertThat(endpoint + health + metrics).doesNotContain(ObservedClients.USER_INFO_SECRET,
				ObservedClients.QUERY_SECRET, ObservedClients.HEADER_SECRET, ObservedClients.AUTH_SECRET);
	}

	@Test
	void metersCountAKnownExchange() {
		await().atMost(Duration.ofSeconds(10)).until(() -> ObservedClients.server.openConnections().size() >= 2);
		double sentBefore = count("websockex.messages.sent", "plain", "type", "text");
		this.plain.send("one").block(Duration.ofSeconds(5));
		this.plain.send("two").block(Duration.ofSeconds(5));
		this.plain.send(new byte[] { 1 }).block(Duration.ofSeconds(5));
		this.plain.request("public/get_time", Map.of()).block(Duration.ofSeconds(5));
		this.plain.request("public/get_time", Map.of()).block(Duration.ofSeconds(5));
		assertThat(count("websockex.messages.sent", "plain", "type", "text")).isEqualTo(sentBefore + 4);
		assertThat(count("websockex.messages.sent", "plain", "type", "binary")).isEqualTo(1);
		assertThat(this.registry.get("websockex.requests")
			.tags("client", "plain", "method", "public/get_time", "outcome", "success")
			.timer()
			.count()).isEqualTo(2);
		assertThat(this.registry.get("websockex.connected").tag("client", "plain").gauge().value()).isEqualTo(1);
		assertThat(this.registry.get("websockex.connection.attempts")
			.tags("client", "plain", "outcome", "success")
			.functionCounter()
			.count()).isEqualTo(1);
		assertThat(this.registry.get("websockex.bytes.sent").tag("client", "plain").functionCounter().count())
			.isGreaterThan(0);
		for (String name : new String[] { "websockex.messages.received", "websockex.bytes.received",
				"websockex.reconnects", "websockex.requests.pending", "websockex.subscriptions",
				"websockex.heartbeat.failures", "websockex.heartbeat.rtt", "websockex.ratelimit.queued",
				"websockex.ratelimit.rejected", "websockex.inbound.overflows" }) {
			assertThat(this.registry.find(name).tag("client", "plain").meters()).as(name).hasSize(1);
		}
		for (String reason : new String[] { "too-large", "protocol-error" }) {
			assertThat(this.registry.get("websockex.inbound.rejected")
				.tags("client", "plain", "reason", reason)
				.functionCounter()
				.count()).as(reason).isZero();
		}
	}

	@Test
	void healthGoesFromUpThroughUnknownToDownWhenAClientGivesUp() {
		assertThat(body("/actuator/health/websockex/doomed")).contains("\"UP\"");
		ObservedClients.doomedServer.stop();
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> body("/actuator/health/websockex/doomed").contains("\"UNKNOWN\""));
		assertThat(body("/actuator/health/websockex/doomed")).contains("CONNECTING").contains("attempt");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> body("/actuator/health/websockex/doomed").contains("\"DOWN\""));
		assertThat(body("/actuator/health/websockex/doomed")).contains("GAVE_UP");
		assertThat(body("/actuator/websockex/doomed")).contains("\"disconnectReason\":\"GAVE_UP\"");
	}

	private double count(String name, String client, String tag, String value) {
		return this.registry.get(name).tags("client", client, tag, value).functionCounter().count();
	}

	private String body(String uri) {
		byte[] bytes = this.http.get().uri(uri).exchange().expectBody().returnResult().getResponseBody();
		return (bytes != null) ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8) : "";
	}

}
