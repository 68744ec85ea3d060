package io.websockex.adapter.internal.client;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.websockex.adapter.internal.jsonrpc.JsonRpcCodec;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The envelope-only routing of notifications: data reaches a subscribed channel, an
 * unsubscribed channel's data is skipped, and everything that is not plainly a
 * notification is left to the full parse.
 */
class NotificationScannerTests {

	private static final JsonMapper MAPPER = JsonMapper.shared();

	private final InboundBroadcast broadcast = new InboundBroadcast("t", 16, new ClientCounters());

	private final NotificationScanner scanner = new NotificationScanner(new JsonRpcCodec(MAPPER), "subscription");

	private final List<JsonNode> received = new CopyOnWriteArrayList<>();

	private final Disposable subscriber = this.broadcast.channel("ticker.x").subscribe(this.received::add);

	@AfterEach
	void dispose() {
		this.subscriber.dispose();
	}

	private @Nullable Object scan(String json) {
		return this.scanner.route(json.getBytes(StandardCharsets.UTF_8), this.broadcast);
	}

	private boolean route(String json) {
		return scan(json) == NotificationScanner.ROUTED;
	}

	@Test
	void readsTheWholeTreeOfEverythingElseInTheSamePass() {
		List<String> others = List.of("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"channel\":\"ticker.x\",\"data\":1}}",
				"{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"error\":{\"code\":10028,\"message\":\"too_many_requests\"},\"usIn\":1.5}",
				"{\"method\":\"heartbeat\",\"params\":{\"type\":\"test_request\"}}",
				"{\"method\":\"subscription\",\"params\":[\"ticker.x\",1]}",
				"{\"method\":\"x\",\"params\":{\"a\":[1,null,true]}}", "{}",
				"{\"id\":9007199254740993,\"result\":[1,{\"b\":null}],\"method\":\"public/test\"}");
		for (String json : others) {
			assertThat(scan(json)).as(json).isEqualTo(MAPPER.readTree(json));
		}
		assertThat(this.received).isEmpty();
	}

	@Test
	void routesTheDataOfASubscribedChannel() {
		assertThat(
				route("""
						{"jsonrpc":"2.0","method":"subscription","params":{"channel":"ticker.x","data":{"p":[1,2],"q":{"r":3}}}}"""))
			.isTrue();
		assertThat(this.received).containsExactly(MAPPER.readTree("{\"p\":[1,2],\"q\":{\"r\":3}}"));
	}

	@Test
	void routesDataThatComesBeforeTheChannelAndFieldsInAnyOrder() {
		assertThat(route("""
				{"params":{"data":7,"x":{"y":[]},"channel":"ticker.x"},"extra":[1,{"a":2}],"method":"subscription"}"""))
			.isTrue();
		assertThat(this.received).containsExactly(MAPPER.readTree("7"));
	}

	@Test
	void consumesANotificationOfAChannelWithoutSubscriberWithoutDeliveringIt() {
		assertThat(route("""
				{"method":"subscription","params":{"channel":"other","data":{"big":[1,2,3]}}}""")).isTrue();
		assertThat(this.received).isEmpty();
	}

	@Test
	void leavesEverythingElseToTheFullParse() {
		assertThat(route("{\"method\":\"heartbeat\",\"params\":{\"type\":\"test_request\"}}")).isFalse();
		assertThat(route("{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"channel\":\"ticker.x\",\"data\":1}}")).isFalse();
		assertThat(route("{\"method\":\"subscription\",\"result\":1,\"params\":{\"channel\":\"ticker.x\",\"data\":1}}"))
			.isFalse();
		assertThat(route("{\"method\":\"subscription\",\"params\":{\"channel\":\"ticker.x\"}}")).isFalse();
		assertThat(route("{\"method\":\"subscription\",\"params\":{\"channel\":5,\"data\":1}}")).isFalse();
		assertThat(route("{\"method\":\"subscription\",\"params\":[\"ticker.x\",1]}")).isFalse();
		assertThat(route("{\"method\":1,\"params\":{\"channel\":\"ticker.x\",\"data\":1}}")).isFalse();
		assertThat(route("{\"params\":{\"channel\":\"ticker.x\",\"data\":1}}")).isFalse();
		assertThat(route("[1,2]")).isFalse();
		// Keys repeated inside params: the whole tree decides, where the last one counts.
		assertThat(scan(
				"{\"method\":\"subscription\",\"params\":{\"channel\":\"other\",\"data\":1,\"channel\":\"ticker.x\"}}"))
			.isEqualTo(
					MAPPER.readTree("{\"method\":\"subscription\",\"params\":{\"channel\":\"ticker.x\",\"data\":1}}"));
		// Keys repeated: the last counts, as in the whole tree, which comes back.
		for (String repeated : List.of(
				"{\"method\":\"subscription\",\"params\":{\"channel\":\"ticker.x\",\"data\":1},\"method\":\"x\"}",
				"{\"method\":\"subscription\",\"params\":{\"channel\":\"ticker.x\",\"data\":1},\"params\":{}}")) {
			assertThat(scan(repeated)).as(repeated).isEqualTo(MAPPER.readTree(repeated));
		}
		assertThat(this.received).isEmpty();
	}

	@Test
	void leavesBadJsonToTheFullParseWithoutDeliveringAnything() {
		assertThat(route("{\"method\":\"subscription\",\"params\":{\"channel\":\"ticker.x\",\"data\":{\"p\":"))
			.isFalse();
		assertThat(route("{\"method\":\"subscription\",\"params\":{\"channel\":\"ticker.x\",\"data\":1}} trailing"))
			.isFalse();
		assertThat(route("{\"method\":\"subscription\",\"params\":{\"channel\":\"ticker.x\",\"data\":1}}{}")).isFalse();
		assertThat(this.received).isEmpty();
	}

}
