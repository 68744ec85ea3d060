package io.websockex.adapter.test.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deribit's API v2 as a client meets it: {@code public/auth} (client credentials, client
 * signature, refresh token) against the credentials a test sets, {@code private/*}
 * refused before auth, {@code public/set_heartbeat} followed by {@code test_request}s (a
 * {@code test_request} still unanswered at the next one closes the connection with 4000),
 * {@code public/test}, {@code public/get_time}, subscribe and unsubscribe
 * acknowledgements, and the credit-based rate limit that refuses with
 * {@code 10028 too_many_requests}.
 */
public final class DeribitBehaviour implements Behaviour {

	/** Deribit's error for a request beyond the credit pool. */
	public static final int TOO_MANY_REQUESTS = 10028;

	private final Map<ServerSession, State> states = new ConcurrentHashMap<>();

	private volatile @Nullable String clientId;

	private volatile @Nullable String clientSecret;

	private volatile Duration tokenLifetime = Duration.ofMinutes(15);

	private volatile @Nullable Duration testRequestInterval;

	// Deribit's published defaults for non-matching-engine requests: a pool of 50,000
	// credits refilled at 10,000 a second, 500 a request: bursts of 100, then 20 a
	// second.
	private volatile long maxCredits = 50_000;

	private volatile long refillPerSecond = 10_000;

	private volatile long defaultCost = 500;

	private final Map<String, Long> costs = new ConcurrentHashMap<>();

	/**
	 * @param clientId the only client id {@code public/auth} accepts
	 * @param clientSecret the only client secret it accepts
	 */
	public void credentials(String clientId, String clientSecret) {
		this.clientId = clientId;
		this.clientSecret = clientSecret;
	}

	/**
	 * @param lifetime the {@code expires_in} of the tokens issued
	 */
	public void tokenLifetime(Duration lifetime) {
		this.tokenLifetime = lifetime;
	}

	/**
	 * @param interval send {@code test_request}s at this pace, whatever interval the
	 * client asked for (a client may not ask for less than 10 seconds), or {@code null}
	 */
	public void testRequestInterval(@Nullable Duration interval) {
		this.testRequestInterval = interval;
	}

	/**
	 * @param maxCredits the pool's size; 0 turns the limit off
	 * @param refillPerSecond credits added a second
	 * @param cost credits a request costs
	 */
	public void rateLimit(long maxCredits, long refillPerSecond, long cost) {
		this.maxCredits = maxCredits;
		this.refillPerSecond = refillPerSecond;
		this.defaultCost = cost;
	}

	/**
	 * @param method a method
	 * @param cost its cost in credits
	 */
	public void cost(String method, long cost) {
		this.costs.put(method, cost);
	}

	@Override
	public void onOpen(ServerSession session) {
		State state = new State((this.maxCredits > 0) ? new CreditPool(this.maxCredits, this.refillPerSecond) : null);
		this.states.put(session, state);
		session.onEnd(() -> {
			state.stopHeartbeat();
			this.states.remove(session);
		});
	}

	@Override
	public @Nullable Answer admit(ServerSession session, String method) {
		State state = this.states.get(session);
		// Heartbeat replies are free here, so that a test of the limit does not also lose
		// its connection to an unanswered test_request.
		if (state == null || state.credits == null || method.equals("public/test")) {
			return null;
		}
		long cost = this.costs.getOrDefault(method, this.defaultCost);
		return state.credits.take(cost) ? null : Answer.error(TOO_MANY_REQUESTS, "too_many_requests");
	}

	@Override
	public @Nullable Answer answer(ServerSession session, String method, JsonNode params) {
		State state = this.states.get(session);
		if (state == null) {
			return null;
		}
		if (method.startsWith("private/") && !state.authenticated) {
			return Answer.error(13009, "unauthorized");
		}
		return switch (method) {
			case "public/auth" -> auth(state, params);
			case "public/set_heartbeat" -> setHeartbeat(session, state, params);
			case "public/disable_heartbeat" -> {
				state.stopHeartbeat();
				yield Answer.result(Json.MAPPER.getNodeFactory().stringNode("ok"));
			}
			case "public/test" -> {
				state.testRequestPending = false;
				yield Answer.result(Json.MAPPER.createObjectNode().put("version", "1.2.26"));
			}
			case "public/get_time" ->
				Answer.result(Json.MAPPER.getNodeFactory().numberNode(System.currentTimeMillis()));
			case "public/subscribe", "private/subscribe", "public/unsubscribe", "private/unsubscribe",
					"public/unsubscribe_all", "private/unsubscribe_all" ->
				Answer.result(channels(params));
			default -> null;
		};
	}

	private static ArrayNode channels(JsonNode params) {
		ArrayNode channels = Json.MAPPER.createArrayNode();
		params.path("channels").forEach(channels::add);
		return channels;
	}

	private Answer auth(State state, JsonNode params) {
		String grant = params.path("grant_type").asString("");
		boolean valid = switch (grant) {
			case "client_credentials" ->
				matches(params.path("client_id").asString(""), params.path("client_secret").asString(""));
			case "client_signature" -> signatureMatches(params);
			case "refresh_token" -> state.refreshTokens.contains(params.path("refresh_token").asString(""));
			default -> false;
		};
		if (!valid) {
			return Answer.error(13004, "invalid_credentials");
		}
		state.authenticated = true;
		String refresh = UUID.randomUUID().toString();
		state.refreshTokens.add(refresh);
		ObjectNode token = Json.MAPPER.createObjectNode()
			.put("access_token", UUID.randomUUID().toString())
			.put("expires_in", this.tokenLifetime.toSeconds())
			.put("refresh_token", refresh)
			.put("scope", "connection mainaccount")
			.put("token_type", "bearer");
		return Answer.result(token);
	}

	private boolean matches(String id, String secret) {
		String expectedId = this.clientId;
		return expectedId == null || (expectedId.equals(id) && secret.equals(this.clientSecret));
	}

	// Deribit: signature = hex(HMAC-SHA256(secret, timestamp + "\n" + nonce + "\n" +
	// data)).
	private boolean signatureMatches(JsonNode params) {
		String expectedId = this.clientId;
		String secret = this.clientSecret;
		if (expectedId == null || secret == null) {
			return true;
		}
		if (!expectedId.equals(params.path("client_id").asString(""))) {
			return false;
		}
		String payload = params.path("timestamp").asString("") + "\n" + params.path("nonce").asString("") + "\n"
				+ params.path("data").asString("");
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			String expected = HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
			return expected.equalsIgnoreCase(params.path("signature").asString(""));
		}
		catch (GeneralSecurityException ex) {
			return false;
		}
	}

	private Answer setHeartbeat(ServerSession session, State state, JsonNode params) {
		// Deribit requires at least 10 seconds; 1 is accepted here so that tests stay
		// fast.
		long seconds = params.path("interval").asLong(0);
		if (seconds < 1) {
			return Answer.error(-32602, "Invalid params: interval must be at least 1 (second)");
		}
		state.stopHeartbeat();
		state.testRequestPending = false;
		Duration interval = (this.testRequestInterval != null) ? this.testRequestInterval : Duration.ofSeconds(seconds);
		state.heartbeat = Flux.interval(interval, interval).subscribe((tick) -> heartbeatTick(session, state));
		return Answer.result(Json.MAPPER.getNodeFactory().stringNode("ok"));
	}

	private void heartbeatTick(ServerSession session, State state) {
		if (session.isSilent()) {
			return;
		}
		if (state.testRequestPending) {
			state.stopHeartbeat();
			session.close(4000, "heartbeat: test_request not answered");
			return;
		}
		state.testRequestPending = true;
		ObjectNode message = Json.MAPPER.createObjectNode().put("jsonrpc", "2.0").put("method", "heartbeat");
		message.putObject("params").put("type", "test_request");
		session.send(message.toString());
	}

	@Override
	public ObjectNode responseFields() {
		long micros = System.currentTimeMillis() * 1000;
		return Json.MAPPER.createObjectNode()
			.put("usIn", micros)
			.put("usOut", micros + 20)
			.put("usDiff", 20)
			.put("testnet", true);
	}

	@Override
	public Answer unknownMethod(String method) {
		return Answer.methodNotFound(method);
	}

	@Override
	public boolean tracksSubscriptions() {
		return true;
	}

	/** One connection's Deribit state. */
	private static final class State {

		final @Nullable CreditPool credits;

		final Set<String> refreshTokens = ConcurrentHashMap.newKeySet();

		volatile boolean authenticated;

		volatile boolean testRequestPending;

		volatile @Nullable Disposable heartbeat;

		State(@Nullable CreditPool credits) {
			this.credits = credits;
		}

		void stopHeartbeat() {
			Disposable heartbeat = this.heartbeat;
			if (heartbeat != null) {
				heartbeat.dispose();
				this.heartbeat = null;
			}
		}

	}

}
