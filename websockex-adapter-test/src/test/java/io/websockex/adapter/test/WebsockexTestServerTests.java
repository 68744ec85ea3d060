package io.websockex.adapter.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The server's scripts, pushes, waits and faults, driven by a bare Reactor Netty client.
 */
class WebsockexTestServerTests {

	private final WebsockexTestServer server = WebsockexTestServer.jsonRpc();

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void scriptedReplyAnswersWithTheRequestsId() {
		this.server.onRequest("public/get_time").reply("1700000000000");
		try (RawClient client = RawClient.connect(this.server)) {
			client.request(7, "public/get_time", "{}");
			JsonNode response = client.nextJson();
			assertThat(response.get("id").asInt()).isEqualTo(7);
			assertThat(response.get("result").asLong()).isEqualTo(1700000000000L);
			assertThat(response.get("jsonrpc").asString()).isEqualTo("2.0");
		}
	}

	@Test
	void replyWritesObjectsAndComputesFromParams() {
		this.server.onRequest("a").reply(Map.of("price", 42));
		this.server.onRequest("b").replyWith((params) -> params.get("x").asInt() * 2);
		try (RawClient client = RawClient.connect(this.server)) {
			client.request(1, "a", "{}");
			assertThat(client.nextJson().get("result").get("price").asInt()).isEqualTo(42);
			client.request(2, "b", "{\"x\":21}");
			assertThat(client.nextJson().get("result").asInt()).isEqualTo(42);
		}
	}

	@Test
	void errorAnswersWithCodeAndMessage() {
		this.server.onRequest("private/buy").error(10009, "not_enough_funds");
		try (RawClient client = RawClient.connect(this.server)) {
			client.request(3, "private/buy", "{}");
			JsonNode error = client.nextJson().get("error");
			assertThat(error.get("code").asInt()).isEqualTo(10009);
			assertThat(error.get("message").asString()).isEqualTo("not_enough_funds");
		}
	}

	@Test
	void delayHoldsTheAnswerAndNoReplyNeverAnswers() {
		this.server.onRequest("slow").delay(Duration.ofMillis(400)).reply("1");
		this.server.onRequest("silent").noReply();
		try (RawClient client = RawClient.connect(this.server)) {
			long start = System.nanoTime();
			client.request(1, "silent", "{}").request(2, "slow", "{}");
			JsonNode response = client.nextJson();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
			assertThat(response.get("id").asInt()).isEqualTo(2);
			assertThat(client.next(Duration.ofMillis(300))).isNull();
		}
	}

	@Test
	void paramMatchersChooseTheScriptAndTheLatestMatchingScriptWins() {
		this.server.onRequest("quote").reply("\"any\"");
		this.server.onRequest("quote").withParam("instrument", "BTC").reply("\"btc\"");
		this.server.onRequest("quote").withParams((p) -> p.path("amount").asInt() > 10).reply("\"big\"");
		try (RawClient client = RawClient.connect(this.server)) {
			client.request(1, "quote", "{\"instrument\":\"ETH\"}");
			assertThat(client.nextJson().get("result").asString()).isEqualTo("any");
			client.request(2, "quote", "{\"instrument\":\"BTC\"}");
			assertThat(client.nextJson().get("result").asString()).isEqualTo("btc");
			client.request(3, "quote", "{\"instrument\":\"BTC\",\"amount\":11}");
			assertThat(client.nextJson().get("result").asString()).isEqualTo("big");
		}
	}

	@Test
	void unknownMethodsGetMethodNotFoundUnlessScripted() {
		try (RawClient client = RawClient.connect(this.server)) {
			client.request(1, "nope", "{}");
			assertThat(client.nextJson().get("error").get("code").asInt()).isEqualTo(-32601);
			this.server.onUnknownMethod().error(-1, "scripted default");
			client.request(2, "nope", "{}");
			assertThat(client.nextJson().get("error").get("message").asString()).isEqualTo("scripted default");
		}
	}

	@Test
	void pushReachesOnlyConnectionsSubscribedToTheChannel() {
		try (RawClient subscribed = RawClient.connect(this.server); RawClient other = RawClient.connect(this.server)) {
			subscribed.request(1, "public/subscribe", "{\"channels\":[\"ticker\"]}");
			assertThat(subscribed.nextJson().get("result").get(0).asString()).isEqualTo("ticker");
			this.server.awaitSubscribed("ticker");
			assertThat(this.server.push("ticker", Map.of("last", 1))).isEqualTo(1);
			JsonNode notification = subscribed.nextJson();
			assertThat(notification.get("method").asString()).isEqualTo("subscription");
			assertThat(notification.get("params").get("channel").asString()).isEqualTo("ticker");
			assertThat(notification.get("params").get("data").get("last").asInt()).isEqualTo(1);
			assertThat(other.next(Duration.ofMillis(200))).isNull();
			subscribed.request(2, "public/unsubscribe", "{\"channels\":[\"ticker\"]}");
			subscribed.nextJson();
			assertThat(this.server.push("ticker", Map.of("last", 2))).isZero();
		}
	}

	@Test
	void rawServerPushesToEveryConnectionAndAnswersNothing() {
		try (WebsockexTestServer raw = WebsockexTestServer.raw(); RawClient client = RawClient.connect(raw)) {
			client.request(1, "public/subscribe", "{\"channels\":[\"x\"]}");
			raw.awaitRequest("public/subscribe");
			assertThat(client.next(Duration.ofMillis(200))).isNull();
			assertThat(raw.push("y", 5)).isEqualTo(1);
			assertThat(client.nextJson().get("params").get("data").asInt()).isEqualTo(5);
			raw.send("plain text");
			assertThat(client.next()).isEqualTo("plain text");
		}
	}

	@Test
	void framesScriptedForTheUpgradeArriveFirst() {
		this.server.onConnectSend("{\"hello\":1}", "{\"hello\":2}");
		try (RawClient client = RawClient.connect(this.server)) {
			assertThat(client.next()).isEqualTo("{\"hello\":1}");
			assertThat(client.next()).isEqualTo("{\"hello\":2}");
		}
	}

	@Test
	void connectAndTextHandlersActOnTheirConnection() {
		this.server.onConnect((connection) -> connection.send("welcome #" + connection.id()));
		this.server.onText((connection, text) -> connection.send("echo:" + text));
		try (RawClient client = RawClient.connect(this.server)) {
			assertThat(client.next()).isEqualTo("welcome #1");
			client.send("hi");
			assertThat(client.next()).isEqualTo("echo:hi");
		}
	}

	@Test
	void awaitRequestReturnsSuccessiveCallsAndFailsNamingWhatArrived() {
		try (RawClient client = RawClient.connect(this.server)) {
			client.request(1, "public/subscribe", "{\"channels\":[\"a\"]}");
			client.request(2, "public/subscribe", "{\"channels\":[\"b\"]}");
			assertThat(this.server.awaitRequest("public/subscribe").get("channels").get(0).asString()).isEqualTo("a");
			assertThat(this.server.awaitRequest("public/subscribe").get("channels").get(0).asString()).isEqualTo("b");
			this.server.awaitTimeout(Duration.ofMillis(200));
			assertThatThrownBy(() -> this.server.awaitRequest("public/auth")).isInstanceOf(AssertionError.class)
				.hasMessageContaining("public/auth")
				.hasMessageContaining("[public/subscribe, public/subscribe]");
		}
	}

	@Test
	void receivedListsFramesInOrderAndConnectionsCountsUpgrades() {
		try (RawClient first = RawClient.connect(this.server)) {
			first.send("one").send("two");
			await().atMost(RawClient.WAIT).until(() -> this.server.received().size() == 2);
			try (RawClient second = RawClient.connect(this.server)) {
				second.send("three");
				await().atMost(RawClient.WAIT).until(() -> this.server.received().size() == 3);
			}
		}
		assertThat(this.server.receivedTexts()).containsExactly("one", "two", "three");
		assertThat(this.server.received()).extracting(ReceivedFrame::connection).containsExactly(1, 1, 2);
		assertThat(this.server.connections()).isEqualTo(2);
		assertThat(this.server.upgradeRequests()).hasSize(2).allSatisfy((r) -> assertThat(r.path()).isEqualTo("/ws"));
	}

	@Test
	void dropWithACodeSendsThatCloseFrame() {
		try (RawClient client = RawClient.connect(this.server)) {
			this.server.drop(1011);
			WebSocketCloseStatus status = client.awaitEnd();
			assertThat(status).isNotNull();
			assertThat(status.code()).isEqualTo(1011);
		}
		this.server.awaitNoOpenConnections(RawClient.WAIT);
	}

	@Test
	void dropWithoutACodeCutsTheSocketWithoutACloseFrame() {
		try (RawClient client = RawClient.connect(this.server)) {
			this.server.drop();
			WebSocketCloseStatus status = client.awaitEnd();
			assertThat((status != null) ? status.code() : 1006).isEqualTo(1006);
		}
	}

	@Test
	void stallIsSilentWithTheSocketOpenAndThenAnswersAgain() {
		this.server.onRequest("ping").reply("\"pong\"");
		try (RawClient client = RawClient.connect(this.server)) {
			this.server.stall(Duration.ofMillis(500));
			client.request(1, "ping", "{}");
			assertThat(client.next(Duration.ofMillis(300))).isNull();
			this.server.push("x", 1);
			await().atMost(RawClient.WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
				client.request(2, "ping", "{}");
				return client.next(Duration.ofMillis(100)) != null;
			});
			assertThat(this.server.openConnections()).hasSize(1);
		}
	}

	@Test
	void freezeReadsAndWritesNothingUntilThawed() {
		this.server.onRequest("ping").reply("\"pong\"");
		try (RawClient client = RawClient.connect(this.server)) {
			client.request(1, "ping", "{}");
			assertThat(client.nextJson().get("id").asInt()).isEqualTo(1);
			this.server.freeze();
			client.request(2, "ping", "{}");
			this.server.push("x", 1);
			assertThat(client.next(Duration.ofMillis(500))).isNull();
			assertThat(this.server.methods()).containsExactly("ping");
			assertThat(this.server.openConnections()).hasSize(1);
			this.server.thaw();
			client.request(3, "ping", "{}");
			// What was held while frozen (the answer to 2, the push) may come first now.
			List<String> afterThaw = new ArrayList<>();
			for (int i = 0; i < 3 && !afterThaw.contains("3"); i++) {
				afterThaw.add(client.nextJson().path("id").asString(""));
			}
			assertThat(afterThaw).contains("3");
		}
	}

	@Test
	void refuseUpgradeAnswersWithTheStatusUntilAcceptedAgain() {
		this.server.refuseUpgrade(401);
		RawClient refused = RawClient.connect(this.server.url());
		assertThat(refused.awaitFailure()).hasMessageContaining("401");
		assertThat(this.server.connections()).isZero();
		assertThat(this.server.upgradeRequests()).hasSize(1);
		this.server.acceptUpgrades();
		try (RawClient client = RawClient.connect(this.server)) {
			assertThat(this.server.connections()).isEqualTo(1);
		}
	}

	@Test
	void malformedSendsCutOffJson() {
		try (RawClient client = RawClient.connect(this.server)) {
			this.server.malformed();
			String text = client.next();
			assertThatThrownBy(() -> tools.jackson.databind.json.JsonMapper.shared().readTree(text))
				.isInstanceOf(tools.jackson.core.JacksonException.class);
		}
	}

	@Test
	void oversizeSendsOneFrameOfExactlyThatSize() {
		try (RawClient client = RawClient.connect(this.server)) {
			this.server.oversize(2 * 1024 * 1024);
			String text = client.next();
			assertThat(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(2 * 1024 * 1024);
			assertThat(tools.jackson.databind.json.JsonMapper.shared()
				.readTree(text)
				.get("params")
				.get("channel")
				.asString()).isEqualTo("oversize");
		}
		assertThatThrownBy(() -> this.server.oversize(10)).hasMessageContaining("at least");
	}

	@Test
	void closeAfterClosesWith1011OnceThatManyFramesArrived() {
		this.server.onRequest("ping").reply("\"pong\"");
		this.server.closeAfter(2);
		try (RawClient client = RawClient.connect(this.server)) {
			client.request(1, "ping", "{}");
			assertThat(client.nextJson().get("id").asInt()).isEqualTo(1);
			client.request(2, "ping", "{}");
			WebSocketCloseStatus status = client.awaitEnd();
			assertThat(status).isNotNull();
			assertThat(status.code()).isEqualTo(1011);
		}
		assertThat(this.server.receivedTexts()).hasSize(2);
		assertThat(this.server.methods()).isEqualTo(List.of("ping"));
	}

	@Test
	void stopAndRestartServeTheSamePort() {
		int port = this.server.port();
		try (RawClient client = RawClient.connect(this.server)) {
			this.server.stop();
			client.awaitEnd();
		}
		this.server.restart();
		try (RawClient client = RawClient.connect(this.server)) {
			assertThat(this.server.port()).isEqualTo(port);
			assertThat(this.server.connections()).isEqualTo(2);
		}
	}

}
