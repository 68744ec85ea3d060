package io.websockex.samples.marketfeed.sim;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.concurrent.Queues;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * One connection to the simulated exchange, speaking Deribit's JSON-RPC: auth, heartbeats
 * with {@code test_request}s, subscriptions, {@code public/get_time} and
 * {@code public/test}. Runs only on the simulator's thread, so it needs no locks.
 */
final class SimSession {

	private static final Logger logger = LoggerFactory.getLogger(SimSession.class);

	// Deribit closes the connection of a client that does not keep up; so does this.
	private static final int OUTBOUND_QUEUE = 8192;

	private final WebSocketSession session;

	private final JsonMapper mapper;

	private final Scheduler thread;

	private final SimulatorProperties properties;

	private final Set<String> knownChannels;

	private final Sinks.Many<String> outbound = Sinks.many()
		.unicast()
		.onBackpressureBuffer(Queues.<String>get(OUTBOUND_QUEUE).get());

	private final Set<String> subscriptions = new LinkedHashSet<>();

	private boolean authenticated;

	// The grant of the last accepted public/auth, and what renews it.
	private @Nullable String grant;

	private @Nullable String refreshToken;

	private final Set<String> nonces = new java.util.HashSet<>();

	private @Nullable Duration heartbeatInterval;

	private @Nullable Disposable heartbeat;

	private boolean testRequestPending;

	private long testRequestsSent;

	private long testRequestsAnswered;

	private long stalledUntil;

	private boolean closed;

	SimSession(WebSocketSession session, JsonMapper mapper, Scheduler thread, SimulatorProperties properties,
			Set<String> knownChannels) {
		this.session = session;
		this.mapper = mapper;
		this.thread = thread;
		this.properties = properties;
		this.knownChannels = knownChannels;
	}

	String id() {
		return this.session.getId();
	}

	Flux<String> outbound() {
		return this.outbound.asFlux();
	}

	boolean isSubscribed(String channel) {
		return this.subscriptions.contains(channel);
	}

	SimulatorStatus.Session status() {
		return new SimulatorStatus.Session(id(), this.authenticated, this.grant,
				(this.heartbeatInterval != null) ? this.heartbeatInterval.toSeconds() : null, this.testRequestsSent,
				this.testRequestsAnswered, List.copyOf(this.subscriptions), stalled());
	}

	boolean stalled() {
		return System.nanoTime() - this.stalledUntil < 0;
	}

	/**
	 * Stop answering and sending for a while, keeping the connection open: what a
	 * half-open TCP connection or a frozen server looks like to a client.
	 * @param duration how long
	 */
	void stall(Duration duration) {
		this.stalledUntil = System.nanoTime() + duration.toNanos();
	}

	void drop() {
		close(CloseStatus.SERVICE_RESTARTED.withReason("dropped by POST /sim/drop"));
	}

	/**
	 * Send a notification if the session is subscribed to its channel.
	 * @param channel the channel
	 * @param notification the whole notification, already encoded
	 */
	void publish(String channel, String notification) {
		if (isSubscribed(channel) && !stalled()) {
			emit(notification);
		}
	}

	void onText(String text) {
		if (this.closed || stalled()) {
			// A stalled server reads nothing and answers nothing.
			return;
		}
		JsonNode request;
		try {
			request = this.mapper.readTree(text);
		}
		catch (JacksonException ex) {
			emit(error(null, -32700, "Parse error"));
			return;
		}
		JsonNode id = request.get("id");
		JsonNode method = request.get("method");
		if (method == null || !method.isString()) {
			emit(error(id, -32600, "Invalid Request"));
			return;
		}
		JsonNode params = request.path("params");
		emit(switch (method.stringValue()) {
			case "public/auth" -> auth(id, params);
			case "public/set_heartbeat" -> setHeartbeat(id, params);
			case "public/disable_heartbeat" -> disableHeartbeat(id);
			case "public/test" -> test(id);
			case "public/get_time" -> result(id, this.mapper.getNodeFactory().numberNode(System.currentTimeMillis()));
			case "public/subscribe" -> subscribe(id, params, false);
			case "private/subscribe" -> subscribe(id, params, true);
			case "public/unsubscribe", "private/unsubscribe" -> unsubscribe(id, params);
			default -> error(id, -32601, "Method not found");
		});
	}

	/**
	 * Deribit's {@code public/auth}: {@code client_credentials} (the secret sent as it
	 * is), {@code client_signature} (the secret never sent: an HMAC-SHA256 of
	 * {@code timestamp\nnonce\ndata} keyed with it, checked here with the secret the
	 * simulator knows, a timestamp within a minute and a nonce used once) or
	 * {@code refresh_token} (the one the last answer gave).
	 */
	private String auth(@Nullable JsonNode id, JsonNode params) {
		String grantType = params.path("grant_type").asString("");
		boolean valid = switch (grantType) {
			case "client_credentials" -> this.properties.clientId().equals(params.path("client_id").asString(""))
					&& this.properties.clientSecret().equals(params.path("client_secret").asString(""));
			case "client_signature" -> signatureIsValid(params);
			case "refresh_token" ->
				this.refreshToken != null && this.refreshToken.equals(params.path("refresh_token").asString(""));
			default -> false;
		};
		if (!valid) {
			logger.info("sim: session {} failed to authenticate ({})", id(), grantType);
			return grantType.equals("refresh_token") ? error(id, 13009, "unauthorized")
					: error(id, 13004, "invalid_credentials");
		}
		this.authenticated = true;
		this.grant = grantType;
		this.refreshToken = UUID.randomUUID().toString();
		ObjectNode token = this.mapper.createObjectNode()
			.put("access_token", UUID.randomUUID().toString())
			.put("expires_in", this.properties.tokenLife().toSeconds())
			.put("refresh_token", this.refreshToken)
			.put("scope", "connection mainaccount")
			.put("token_type", "bearer");
		return result(id, token);
	}

	private boolean signatureIsValid(JsonNode params) {
		long timestamp = params.path("timestamp").asLong(0);
		String nonce = params.path("nonce").asString("");
		String data = params.path("data").asString("");
		String expected = hmacSha256Hex(this.properties.clientSecret(), timestamp + "\n" + nonce + "\n" + data);
		return this.properties.clientId().equals(params.path("client_id").asString(""))
				&& Math.abs(System.currentTimeMillis() - timestamp) < 60_000 && !nonce.isEmpty()
				&& this.nonces.add(nonce)
				&& java.security.MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
						params.path("signature").asString("").getBytes(StandardCharsets.US_ASCII));
	}

	private static String hmacSha256Hex(String key, String text) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is unavailable", ex);
		}
	}

	private String setHeartbeat(@Nullable JsonNode id, JsonNode params) {
		// Deribit requires at least 10 seconds; the simulator takes 1 so tests stay fast.
		long seconds = params.path("interval").asLong(0);
		if (seconds < 1) {
			return error(id, -32602, "Invalid params: interval must be at least 1 (second)");
		}
		stopHeartbeat();
		this.heartbeatInterval = Duration.ofSeconds(seconds);
		this.testRequestPending = false;
		// The first test_request goes out right after the answer (Deribit waits one
		// interval), so that a client that does not answer is found out at once.
		this.heartbeat = Flux.interval(Duration.ZERO, this.heartbeatInterval, this.thread)
			.subscribe((tick) -> heartbeatTick());
		return result(id, this.mapper.getNodeFactory().stringNode("ok"));
	}

	private String disableHeartbeat(@Nullable JsonNode id) {
		stopHeartbeat();
		this.heartbeatInterval = null;
		return result(id, this.mapper.getNodeFactory().stringNode("ok"));
	}

	private void heartbeatTick() {
		if (this.closed || stalled()) {
			return;
		}
		if (this.testRequestPending) {
			// Deribit's rule: a test_request left unanswered for a whole interval ends
			// the connection.
			logger.info("sim: session {} did not answer the last test_request; closing it", id());
			close(new CloseStatus(4000, "heartbeat: test_request not answered"));
			return;
		}
		this.testRequestPending = true;
		this.testRequestsSent++;
		ObjectNode message = this.mapper.createObjectNode().put("jsonrpc", "2.0").put("method", "heartbeat");
		message.putObject("params").put("type", "test_request");
		emit(message.toString());
	}

	private String test(@Nullable JsonNode id) {
		if (this.testRequestPending) {
			this.testRequestsAnswered++;
		}
		this.testRequestPending = false;
		return result(id, this.mapper.createObjectNode().put("version", "1.2.26"));
	}

	private String subscribe(@Nullable JsonNode id, JsonNode params, boolean privateCall) {
		if (privateCall && !this.authenticated) {
			return error(id, 13009, "unauthorized");
		}
		ArrayNode accepted = this.mapper.createArrayNode();
		// As on Deribit, channels that do not exist are left out of the result, and the
		// raw (unthrottled) feeds need an authenticated connection.
		Predicate<String> allowed = (channel) -> this.knownChannels.contains(channel)
				&& (this.authenticated || !channel.endsWith(".raw"));
		for (JsonNode channel : params.path("channels")) {
			String name = channel.asString("");
			if (allowed.test(name)) {
				this.subscriptions.add(name);
				accepted.add(name);
			}
		}
		return result(id, accepted);
	}

	private String unsubscribe(@Nullable JsonNode id, JsonNode params) {
		ArrayNode removed = this.mapper.createArrayNode();
		for (JsonNode channel : params.path("channels")) {
			if (this.subscriptions.remove(channel.asString(""))) {
				removed.add(channel.asString(""));
			}
		}
		return result(id, removed);
	}

	private String result(@Nullable JsonNode id, JsonNode result) {
		ObjectNode response = response(id);
		response.set("result", result);
		return response.toString();
	}

	private String error(@Nullable JsonNode id, int code, String message) {
		ObjectNode response = response(id);
		response.putObject("error").put("code", code).put("message", message);
		return response.toString();
	}

	private ObjectNode response(@Nullable JsonNode id) {
		long micros = System.currentTimeMillis() * 1000;
		ObjectNode response = this.mapper.createObjectNode().put("jsonrpc", "2.0");
		response.set("id", (id != null) ? id : this.mapper.getNodeFactory().nullNode());
		return response.put("usIn", micros).put("usOut", micros + 20).put("usDiff", 20).put("testnet", true);
	}

	private void emit(String text) {
		if (this.closed) {
			return;
		}
		Sinks.EmitResult result = this.outbound.tryEmitNext(text);
		if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
			logger.info("sim: session {} is not reading fast enough; closing it", id());
			close(CloseStatus.POLICY_VIOLATION.withReason("slow consumer"));
		}
	}

	void close(CloseStatus status) {
		if (this.closed) {
			return;
		}
		// The close frame first: completing the outbound stream would end the session
		// with 1000 otherwise.
		this.session.close(status).subscribe(null, (error) -> {
		});
		ended();
	}

	/**
	 * The connection ended, by either side: stop the timers and the outbound stream.
	 */
	void ended() {
		this.closed = true;
		stopHeartbeat();
		this.outbound.tryEmitComplete();
	}

	private void stopHeartbeat() {
		if (this.heartbeat != null) {
			this.heartbeat.dispose();
			this.heartbeat = null;
		}
	}

}
