package io.websockex.adapter.test;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Makes a {@link TestServer} speak the Deribit JSON-RPC shapes: {@code public/auth},
 * {@code public|private/subscribe}, {@code public|private/unsubscribe},
 * {@code public/get_time}, and whatever handlers a test adds. Methods starting with
 * {@code silent/} are never answered. Records every call in order.
 */
public final class DeribitResponder {

	private static final JsonMapper mapper = JsonMapper.shared();

	private final TestServer server;

	private final String secret;

	private final Queue<JsonNode> calls = new ConcurrentLinkedQueue<>();

	private final Map<String, Function<JsonNode, Object>> handlers = new ConcurrentHashMap<>();

	private final Map<String, Map<String, Object>> errors = new ConcurrentHashMap<>();

	/**
	 * Install on a server.
	 * @param server the server
	 * @param secret the only client secret public/auth accepts
	 */
	public DeribitResponder(TestServer server, String secret) {
		this.server = server;
		this.secret = secret;
		server.onText(this::onText);
	}

	/**
	 * Answer a method with a result computed from the request.
	 * @param method the method
	 * @param result computes the result from the request
	 */
	public void on(String method, Function<JsonNode, Object> result) {
		this.handlers.put(method, result);
	}

	/**
	 * Answer a method with an error.
	 * @param method the method
	 * @param code the error code
	 * @param message the error message
	 */
	public void failWith(String method, int code, String message) {
		this.errors.put(method, Map.of("code", code, "message", message));
	}

	/**
	 * @return every JSON-RPC call received, in order
	 */
	public Queue<JsonNode> calls() {
		return this.calls;
	}

	/**
	 * @return the methods of every call received, in order
	 */
	public List<String> methods() {
		return this.calls.stream().map((c) -> c.get("method").asString()).toList();
	}

	/**
	 * Push a subscription notification to every session.
	 * @param channel the channel
	 * @param data the data
	 */
	public void notify(String channel, Object data) {
		this.server.broadcast(mapper.writeValueAsString(Map.of("jsonrpc", "2.0", "method", "subscription", "params",
				Map.of("channel", channel, "data", data))));
	}

	private void onText(TestServer.Session session, String text) {
		JsonNode request;
		try {
			request = mapper.readTree(text);
		}
		catch (RuntimeException ex) {
			return;
		}
		if (!request.has("method") || !request.has("id")) {
			return;
		}
		this.calls.add(request);
		String method = request.get("method").asString();
		if (method.startsWith("silent/")) {
			return;
		}
		ObjectNode response = mapper.createObjectNode();
		response.put("jsonrpc", "2.0");
		response.set("id", request.get("id"));
		JsonNode params = request.get("params");
		Function<JsonNode, Object> handler = this.handlers.get(method);
		if (this.errors.containsKey(method)) {
			response.set("error", mapper.valueToTree(this.errors.get(method)));
		}
		else if (handler != null) {
			response.set("result", mapper.valueToTree(handler.apply(request)));
		}
		else if (method.equals("public/auth")) {
			if (this.secret.equals(params.path("client_secret").asString())) {
				response.set("result", mapper.valueToTree(Map.of("access_token", "token", "expires_in", 900)));
			}
			else {
				response.set("error", mapper.valueToTree(Map.of("code", 13004, "message", "invalid_credentials")));
			}
		}
		else if (method.endsWith("/subscribe") || method.endsWith("/unsubscribe")) {
			response.set("result", params.get("channels"));
		}
		else if (method.equals("public/get_time")) {
			response.put("result", 1700000000000L);
		}
		else {
			response.set("error", mapper
				.valueToTree(Map.of("code", -32601, "message", "Method not found", "data", Map.of("method", method))));
		}
		session.sendText(response.toString());
	}

}
