package io.websockex.adapter.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Deribit behaviour built into {@link WebsockexTestServer#deribit()}.
 */
class DeribitServerTests {

	private final WebsockexTestServer server = WebsockexTestServer.deribit().credentials("id", "secret");

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void authAcceptsOnlyTheCredentialsSet() {
		try (RawClient client = RawClient.connect(this.server)) {
			client.request(1, "public/auth",
					"{\"grant_type\":\"client_credentials\",\"client_id\":\"id\",\"client_secret\":\"wrong\"}");
			JsonNode refused = client.nextJson();
			assertThat(refused.get("error").get("code").asInt()).isEqualTo(13004);
			assertThat(refused.get("error").get("message").asString()).isEqualTo("invalid_credentials");
			client.request(2, "public/auth",
					"{\"grant_type\":\"client_credentials\",\"client_id\":\"id\",\"client_secret\":\"secret\"}");
			JsonNode token = client.nextJson().get("result");
			assertThat(token.get("access_token").asString()).isNotEmpty();
			assertThat(token.get("expires_in").asLong()).isEqualTo(900);
			client.request(3, "public/auth", "{\"grant_type\":\"refresh_token\",\"refresh_token\":\""
					+ token.get("refresh_token").asString() + "\"}");
			assertThat(client.nextJson().get("result").has("access_token")).isTrue();
		}
	}

	@Test
	void authChecksAClientSignatureWithTheSecret() throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec("secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		String signature = HexFormat.of()
			.formatHex(mac.doFinal("1700000000000\nabcd\n".getBytes(StandardCharsets.UTF_8)));
		try (RawClient client = RawClient.connect(this.server)) {
			client.request(1, "public/auth",
					"{\"grant_type\":\"client_signature\",\"client_id\":\"id\","
							+ "\"timestamp\":1700000000000,\"nonce\":\"abcd\",\"data\":\"\",\"signature\":\""
							+ signature + "\"}");
			assertThat(client.nextJson().has("result")).isTrue();
			client.request(2, "public/auth", "{\"grant_type\":\"client_signature\",\"client_id\":\"id\","
					+ "\"timestamp\":1700000000000,\"nonce\":\"abcd\",\"data\":\"\",\"signature\":\"00\"}");
			assertThat(client.nextJson().get("error").get("code").asInt()).isEqualTo(13004);
		}
	}

	@Test
	void privateMethodsAreRefusedBeforeAuth() {
		try (RawClient client = RawClient.connect(this.server)) {
			client.request(1, "private/subscribe", "{\"channels\":[\"user.orders\"]}");
			assertThat(client.nextJson().get("error").get("code").asInt()).isEqualTo(13009);
			assertThat(this.server.openConnections().get(0).subscriptions()).isEmpty();
		}
	}

	@Test
	void subscribeAndUnsubscribeAreAcknowledgedAndResponsesCarryDeribitsTimingFields() {
		try (RawClient client = RawClient.connect(this.server)) {
			client.request(1, "public/subscribe", "{\"channels\":[\"ticker.BTC-PERPETUAL.raw\",\"book\"]}");
			JsonNode ack = client.nextJson();
			assertThat(ack.get("result")).hasSize(2);
			assertThat(ack.has("usIn")).isTrue();
			assertThat(ack.get("testnet").asBoolean()).isTrue();
			this.server.awaitSubscribed("ticker.BTC-PERPETUAL.raw");
			this.server.push("ticker.BTC-PERPETUAL.raw", java.util.Map.of("last_price", 42000));
			assertThat(client.nextJson().get("params").get("data").get("last_price").asInt()).isEqualTo(42000);
			client.request(2, "public/unsubscribe", "{\"channels\":[\"book\"]}");
			assertThat(client.nextJson().get("result").get(0).asString()).isEqualTo("book");
			assertThat(this.server.openConnections().get(0).subscriptions())
				.containsExactly("ticker.BTC-PERPETUAL.raw");
			client.request(3, "public/get_time", "{}");
			assertThat(client.nextJson().get("result").asLong()).isPositive();
		}
	}

	@Test
	void setHeartbeatSendsTestRequestsAndClosesWhenOneGoesUnanswered() {
		try (RawClient client = RawClient.connect(this.server)) {
			client.request(1, "public/set_heartbeat", "{\"interval\":1}");
			assertThat(client.nextJson().get("result").asString()).isEqualTo("ok");
			JsonNode testRequest = client.nextJson();
			assertThat(testRequest.get("method").asString()).isEqualTo("heartbeat");
			assertThat(testRequest.get("params").get("type").asString()).isEqualTo("test_request");
			client.request(2, "public/test", "{}");
			assertThat(client.nextJson().get("result").get("version").asString()).isNotEmpty();
			assertThat(client.nextJson().get("params").get("type").asString()).isEqualTo("test_request");
			WebSocketCloseStatus status = client.awaitEnd();
			assertThat(status).isNotNull();
			assertThat(status.code()).isEqualTo(4000);
		}
	}

	@Test
	void setHeartbeatRefusesAnIntervalBelowOneSecond() {
		try (RawClient client = RawClient.connect(this.server)) {
			client.request(1, "public/set_heartbeat", "{\"interval\":0}");
			assertThat(client.nextJson().get("error").get("code").asInt()).isEqualTo(-32602);
		}
	}

	@Test
	void aBurstBeyondTheCreditsIsRefusedWithTooManyRequests() {
		this.server.rateLimit(2000, 1, 500);
		try (RawClient client = RawClient.connect(this.server)) {
			for (int i = 1; i <= 5; i++) {
				client.request(i, "public/get_time", "{}");
			}
			int refused = 0;
			for (int i = 1; i <= 5; i++) {
				JsonNode response = client.nextJson();
				if (response.has("error")) {
					assertThat(response.get("error").get("code").asInt()).isEqualTo(10028);
					assertThat(response.get("error").get("message").asString()).isEqualTo("too_many_requests");
					assertThat(response.get("id").asInt()).isEqualTo(5);
					refused++;
				}
			}
			assertThat(refused).isEqualTo(1);
			client.request(6, "public/test", "{}");
			assertThat(client.nextJson().has("result")).as("heartbeat replies are free").isTrue();
		}
	}

	@Test
	void theDefaultLimitIsDeribitsBurstOfAHundred() {
		try (RawClient client = RawClient.connect(this.server)) {
			for (int i = 1; i <= 101; i++) {
				client.request(i, "public/get_time", "{}");
			}
			long refused = 0;
			for (int i = 1; i <= 101; i++) {
				refused += client.nextJson().has("error") ? 1 : 0;
			}
			// Refill during the burst may let the 101st through on a slow machine, never
			// more
			// than a few.
			assertThat(refused).isBetween(0L, 1L);
		}
	}

	@Test
	void credentialsApplyOnlyToDeribitServers() {
		try (WebsockexTestServer jsonRpc = WebsockexTestServer.jsonRpc()) {
			assertThatThrownBy(() -> jsonRpc.credentials("a", "b")).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("deribit()");
		}
	}

	@Test
	void unknownMethodsGetMethodNotFound() {
		try (RawClient client = RawClient.connect(this.server)) {
			client.request(1, "public/nope", "{}");
			assertThat(client.nextJson().get("error").get("code").asInt()).isEqualTo(-32601);
		}
		this.server.awaitNoOpenConnections(Duration.ofSeconds(10));
	}

}
