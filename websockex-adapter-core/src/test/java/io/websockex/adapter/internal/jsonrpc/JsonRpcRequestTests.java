package io.websockex.adapter.internal.jsonrpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.websockex.adapter.ClientClosedException;
import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionLostException;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.JsonRpcErrorException;
import io.websockex.adapter.RequestOutcome;
import io.websockex.adapter.RequestTimeoutException;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.testing.LiveClients;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * JSON-RPC requests and their correlation, against a real server.
 */
class JsonRpcRequestTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final JsonMapper mapper = JsonMapper.shared();

	@RegisterExtension
	final LiveClients live = LiveClients.jsonRpc();

	private WebsockexClient client;

	@BeforeEach
	void configureServer() {
		this.live.server().onRequest("public/get_time").reply("1700000000000");
		this.live.server().onRequest((method) -> method.startsWith("silent/")).noReply();
	}

	private WebsockexClient connect(Config.Builder config) {
		this.client = this.live.connect("rpc", config.build());
		await().atMost(WAIT).until(() -> this.live.server().openConnections().size() == 1);
		return this.client;
	}

	@Test
	void correlatesAThousandConcurrentRequestsAnsweredOutOfOrder() {
		List<JsonNode> held = Collections.synchronizedList(new ArrayList<>());
		// Answered here, all at once and shuffled, instead of by the server.
		this.live.server().onRequest("test/double").noReply();
		this.live.server().onText((session, text) -> {
			held.add(mapper.readTree(text));
			if (held.size() == 1000) {
				List<JsonNode> shuffled = new ArrayList<>(held);
				Collections.shuffle(shuffled);
				for (JsonNode request : shuffled) {
					session.send("{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":"
							+ request.get("params").get("n").asInt() * 2 + "}");
				}
			}
		});
		WebsockexClient client = connect(Config.builder(this.live.server().url()));
		List<int[]> answers = Flux.range(0, 1000)
			.flatMap((n) -> client.request("test/double", Map.of("n", n)).map((r) -> new int[] { n, r.asInt() }), 1000)
			.collectList()
			.block(WAIT);
		assertThat(answers).hasSize(1000).allSatisfy((pair) -> assertThat(pair[1]).isEqualTo(pair[0] * 2));
		assertThat(client.metrics().pendingRequests()).isZero();
	}

	@Test
	void returnsTheResultOfTheResponseWithTheSameId() {
		WebsockexClient client = connect(Config.builder(this.live.server().url()));
		StepVerifier.create(client.request("public/get_time", Map.of()))
			.assertNext((result) -> assertThat(result.asLong()).isEqualTo(1700000000000L))
			.expectComplete()
			.verify(WAIT);
		JsonNode call = this.live.server().requests().get(0);
		assertThat(call.get("jsonrpc").asString()).isEqualTo("2.0");
		assertThat(call.get("id").isIntegralNumber()).isTrue();
		assertThat(call.get("params").isObject()).isTrue();
	}

	@Test
	void anErrorResponseFailsWithCodeMessageAndData() {
		WebsockexClient client = connect(Config.builder(this.live.server().url()));
		StepVerifier.create(client.request("public/nope", Map.of())).expectErrorSatisfies((error) -> {
			assertThat(error).isInstanceOf(JsonRpcErrorException.class).hasMessageContaining("'rpc'");
			JsonRpcErrorException rpc = (JsonRpcErrorException) error;
			assertThat(rpc.code()).isEqualTo(-32601);
			assertThat(rpc.errorMessage()).isEqualTo("Method not found");
			assertThat(rpc.data().get("method").asString()).isEqualTo("public/nope");
		}).verify(WAIT);
	}

	@Test
	void noResponseWithinTheTimeoutFailsNamingMethodIdAndTimeout() {
		WebsockexClient client = connect(
				Config.builder(this.live.server().url()).requestTimeout(Duration.ofMillis(300)));
		StepVerifier.create(client.request("silent/never", Map.of())).expectErrorSatisfies((error) -> {
			assertThat(error).isInstanceOf(RequestTimeoutException.class)
				.hasMessageContaining("silent/never")
				.hasMessageContaining("PT0.3S");
			assertThat(((RequestTimeoutException) error).id()).isEqualTo("1");
		}).verify(WAIT);
		assertThat(client.metrics().pendingRequests()).isZero();
	}

	@Test
	void thePendingTableDoesNotGrowWithRequestsThatAreNeverAnswered() {
		WebsockexClient client = connect(
				Config.builder(this.live.server().url()).requestTimeout(Duration.ofMillis(200)));
		List<Throwable> errors = new CopyOnWriteArrayList<>();
		for (int i = 0; i < 500; i++) {
			client.request("silent/" + i, Map.of()).subscribe(null, errors::add);
		}
		await().atMost(WAIT).until(() -> errors.size() == 500);
		assertThat(errors).allMatch(RequestTimeoutException.class::isInstance);
		assertThat(client.metrics().pendingRequests()).isZero();
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
	}

	@Test
	void aRequestThatTimesOutWhileQueuedForTokensIsNeverSent() {
		WebsockexClient client = connect(Config.builder(this.live.server().url())
			.requestTimeout(Duration.ofMillis(300))
			.rateLimit(io.websockex.adapter.ratelimit.RateLimit.of(1).withRefill(1, Duration.ofSeconds(3))));
		List<Throwable> errors = new CopyOnWriteArrayList<>();
		for (int i = 0; i < 3; i++) {
			client.request("silent/" + i, Map.of()).subscribe(null, errors::add);
		}
		await().atMost(WAIT).until(() -> errors.size() == 3);
		assertThat(errors).allMatch(RequestTimeoutException.class::isInstance);
		// The two queued behind the first must not go out once tokens return.
		await().during(Duration.ofMillis(3500))
			.atMost(Duration.ofSeconds(5))
			.until(() -> this.live.server().requests().size() == 1);
		assertThat(client.metrics().rateLimitQueued()).isZero();
	}

	@Test
	void aDropFailsInFlightRequestsAtOnceNotAtTheirTimeout() {
		WebsockexClient client = connect(Config.builder(this.live.server().url())
			.requestTimeout(Duration.ofSeconds(30))
			.retryDelay(Duration.ofMillis(50)));
		List<Throwable> errors = new CopyOnWriteArrayList<>();
		for (int i = 0; i < 10; i++) {
			client.request("silent/pending", Map.of()).subscribe(null, errors::add);
		}
		await().atMost(WAIT).until(() -> this.live.server().requests().size() == 10);
		long dropped = System.nanoTime();
		this.live.server().drop();
		await().atMost(Duration.ofSeconds(3)).until(() -> errors.size() == 10);
		assertThat((System.nanoTime() - dropped) / 1_000_000).isLessThan(2000);
		assertThat(errors).allSatisfy((error) -> assertThat(error).isInstanceOf(ConnectionLostException.class)
			.hasMessageContaining("silent/pending"));
		assertThat(client.metrics().pendingRequests()).isZero();
	}

	@Test
	void closeFailsPendingRequestsWithClientClosed() {
		WebsockexClient client = connect(Config.builder(this.live.server().url()));
		List<Throwable> errors = new CopyOnWriteArrayList<>();
		client.request("silent/pending", Map.of()).subscribe(null, errors::add);
		await().atMost(WAIT).until(() -> this.live.server().requests().size() == 1);
		client.close().block(WAIT);
		await().atMost(WAIT).until(() -> errors.size() == 1);
		assertThat(errors.get(0)).isInstanceOf(ClientClosedException.class);
		StepVerifier.create(client.request("public/get_time", Map.of()))
			.expectError(ClientClosedException.class)
			.verify(WAIT);
	}

	@Test
	void responsesWithUnknownIdsNotificationsAndNonJsonGoToMessages() {
		WebsockexClient client = connect(Config.builder(this.live.server().url()));
		List<String> received = new CopyOnWriteArrayList<>();
		client.messages().subscribe((m) -> received.add(((WebsockexMessage.Text) m).text()));
		List<String> sent = List.of("{\"jsonrpc\":\"2.0\",\"id\":424242,\"result\":1}",
				"{\"jsonrpc\":\"2.0\",\"method\":\"announcement\",\"params\":{}}", "not json", "{\"broken\":",
				"[1,2,3]");
		sent.forEach(this.live.server()::send);
		await().atMost(WAIT).until(() -> received.size() == sent.size());
		assertThat(received).containsExactlyElementsOf(sent);
		assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
		StepVerifier.create(client.request("public/get_time", Map.of()))
			.expectNextCount(1)
			.expectComplete()
			.verify(WAIT);
	}

	@Test
	void aCallerBuiltMessageWithItsOwnIdIsCorrelated() {
		WebsockexClient client = connect(Config.builder(this.live.server().url()));
		ObjectNode message = mapper.createObjectNode()
			.put("jsonrpc", "2.0")
			.put("id", "my-id-1")
			.put("method", "public/get_time");
		StepVerifier.create(client.sendRequest(message)).assertNext((response) -> {
			assertThat(response.get("id").asString()).isEqualTo("my-id-1");
			assertThat(response.get("result").asLong()).isEqualTo(1700000000000L);
		}).expectComplete().verify(WAIT);
	}

	@Test
	void cancellingARequestFreesItsEntryAndTellsObserversSo() {
		WebsockexClient client = connect(Config.builder(this.live.server().url()));
		List<RequestOutcome> outcomes = new CopyOnWriteArrayList<>();
		client.observeRequests(outcomes::add);
		reactor.core.Disposable call = client.request("silent/cancelled", Map.of()).subscribe();
		await().atMost(WAIT).until(() -> this.live.server().requests().size() == 1);
		assertThat(client.metrics().pendingRequests()).isEqualTo(1);
		call.dispose();
		assertThat(client.metrics().pendingRequests()).isZero();
		StepVerifier.create(client.request("public/get_time", Map.of()))
			.expectNextCount(1)
			.expectComplete()
			.verify(WAIT);
		StepVerifier.create(client.request("public/fail", Map.of()))
			.expectError(JsonRpcErrorException.class)
			.verify(WAIT);
		assertThat(outcomes).extracting(RequestOutcome::method, RequestOutcome::outcome)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("silent/cancelled", RequestOutcome.Outcome.CANCELLED),
					org.assertj.core.groups.Tuple.tuple("public/get_time", RequestOutcome.Outcome.SUCCESS),
					org.assertj.core.groups.Tuple.tuple("public/fail", RequestOutcome.Outcome.ERROR));
	}

	@Test
	void eachSubscriptionSendsItsOwnRequestWithItsOwnId() {
		WebsockexClient client = connect(Config.builder(this.live.server().url()));
		reactor.core.publisher.Mono<JsonNode> request = client.request("public/get_time", Map.of());
		StepVerifier.create(request).expectNextCount(1).expectComplete().verify(WAIT);
		StepVerifier.create(request).expectNextCount(1).expectComplete().verify(WAIT);
		List<JsonNode> calls = this.live.server().requests();
		assertThat(calls).hasSize(2);
		assertThat(calls.get(0).get("id")).isNotEqualTo(calls.get(1).get("id"));
	}

	@Test
	void aCallerBuiltRequestWhoseIdIsAlreadyPendingIsRefused() {
		WebsockexClient client = connect(Config.builder(this.live.server().url()));
		ObjectNode message = mapper.createObjectNode()
			.put("jsonrpc", "2.0")
			.put("id", "same")
			.put("method", "silent/twice");
		client.sendRequest(message).subscribe(null, (error) -> {
		});
		await().atMost(WAIT).until(() -> client.metrics().pendingRequests() == 1);
		StepVerifier.create(client.sendRequest(message))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("'rpc'")
				.hasMessageContaining("id same is already pending"))
			.verify(WAIT);
		assertThat(client.metrics().pendingRequests()).isEqualTo(1);
	}

	@Test
	void requestsSentFromAResponseCallbackOnTheEventLoopGoOutAtOnce() {
		// Each next request is written inside the read that delivered the previous
		// response: the flush at the end of that read must carry it.
		WebsockexClient client = connect(Config.builder(this.live.server().url()));
		StepVerifier.create(Flux.range(0, 500).concatMap((i) -> client.request("public/get_time", Map.of()), 0).count())
			.expectNext(500L)
			.expectComplete()
			.verify(WAIT);
		assertThat(this.live.server().requests()).hasSize(500);
	}

}
