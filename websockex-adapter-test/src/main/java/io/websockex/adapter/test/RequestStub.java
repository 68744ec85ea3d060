package io.websockex.adapter.test;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

import io.websockex.adapter.test.internal.Answer;
import io.websockex.adapter.test.internal.Json;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A scripted answer to a JSON-RPC method, started by
 * {@link WebsockexTestServer#onRequest(String)} and active once it ends with
 * {@link #reply(String)}, {@link #reply(Object)}, {@link #replyWith(Function)},
 * {@link #error(int, String)} or {@link #noReply()}. The latest matching script wins, so
 * a test can override an earlier one.
 *
 * <pre>{@code
 * server.onRequest("public/get_time").reply("1700000000000");
 * server.onRequest("private/buy").withParam("amount", 10).delay(Duration.ofMillis(200)).reply(Map.of("order_id", "1"));
 * server.onRequest("private/sell").error(10009, "not_enough_funds");
 * }</pre>
 */
public final class RequestStub {

	private final WebsockexTestServer server;

	private final @Nullable Predicate<String> method;

	private Predicate<JsonNode> matcher = (params) -> true;

	private Duration delay = Duration.ZERO;

	RequestStub(WebsockexTestServer server, @Nullable Predicate<String> method) {
		this.server = server;
		this.method = method;
	}

	/**
	 * Answer only requests whose params match.
	 * @param matcher tests the request's params (a missing node when there are none)
	 * @return this script
	 */
	public RequestStub withParams(Predicate<JsonNode> matcher) {
		this.matcher = this.matcher.and(matcher);
		return this;
	}

	/**
	 * Answer only requests with this param.
	 * @param name the param's name
	 * @param value its value, compared as JSON ({@code 10} matches {@code 10}, not
	 * {@code "10"})
	 * @return this script
	 */
	public RequestStub withParam(String name, @Nullable Object value) {
		JsonNode expected = Json.tree(value);
		return withParams((params) -> params.has(name) && Objects.equals(params.get(name), expected));
	}

	/**
	 * Wait before answering.
	 * @param delay how long
	 * @return this script
	 */
	public RequestStub delay(Duration delay) {
		this.delay = delay;
		return this;
	}

	/**
	 * Answer with a result given as JSON text.
	 * @param resultJson the result, such as {@code "1700000000000"} or
	 * {@code "{\"price\":42}"}
	 * @return the server, to script more
	 * @throws IllegalArgumentException when the text is not JSON
	 */
	public WebsockexTestServer reply(String resultJson) {
		JsonNode result = Json.parse(resultJson);
		return answer((params) -> Answer.result(result));
	}

	/**
	 * Answer with a result Jackson writes from an object ({@code Map}, record,
	 * {@code JsonNode}, number, ...).
	 * @param result the result
	 * @return the server, to script more
	 */
	public WebsockexTestServer reply(Object result) {
		JsonNode tree = Json.tree(result);
		return answer((params) -> Answer.result(tree));
	}

	/**
	 * Answer with a result computed from the request's params.
	 * @param result computes the result (anything Jackson can write)
	 * @return the server, to script more
	 */
	public WebsockexTestServer replyWith(Function<JsonNode, ?> result) {
		return answer((params) -> Answer.result(Json.tree(result.apply(params))));
	}

	/**
	 * Answer with a JSON-RPC error.
	 * @param code the error's code
	 * @param message the error's message
	 * @return the server, to script more
	 */
	public WebsockexTestServer error(int code, String message) {
		Answer answer = Answer.error(code, message);
		return answer((params) -> answer);
	}

	/**
	 * Never answer (the client's request times out).
	 * @return the server, to script more
	 */
	public WebsockexTestServer noReply() {
		return answer((params) -> Answer.NONE);
	}

	private WebsockexTestServer answer(Function<JsonNode, Answer> answer) {
		Duration delay = this.delay;
		this.server.addStub(new Stub(this.method, this.matcher, (params) -> answer.apply(params).delayed(delay)));
		return this.server;
	}

	/** A finished script. */
	record Stub(@Nullable Predicate<String> method, Predicate<JsonNode> matcher, Function<JsonNode, Answer> answer) {

		boolean matches(String method, JsonNode params) {
			return (this.method == null || this.method.test(method)) && this.matcher.test(params);
		}

	}

}
