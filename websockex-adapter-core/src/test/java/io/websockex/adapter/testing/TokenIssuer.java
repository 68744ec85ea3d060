package io.websockex.adapter.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.websockex.adapter.test.TestConnection;
import io.websockex.adapter.test.WebsockexTestServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Makes a {@link WebsockexTestServer#raw() raw} {@link WebsockexTestServer} an auth
 * server in Deribit's shapes that issues short-lived tokens and holds them to it:
 * {@code public/auth} with {@code client_credentials}, {@code client_signature} (the
 * signature checked with the secret it knows, the secret never expected on the wire) or
 * {@code refresh_token}; any {@code private/*} call on a session whose token has expired
 * is refused with 13009 {@code unauthorized}. Also answers
 * {@code public|private/subscribe} with the channels.
 */
public final class TokenIssuer {

	private static final JsonMapper mapper = JsonMapper.shared();

	private final String clientId;

	private volatile String secret;

	private final Duration life;

	// Per connection id: when its token expires (nanoTime) and its current refresh token.
	private final Map<Integer, long[]> expiry = new ConcurrentHashMap<>();

	private final Map<Integer, String> refreshTokens = new ConcurrentHashMap<>();

	private final Set<String> nonces = ConcurrentHashMap.newKeySet();

	private final Queue<String> grants = new ConcurrentLinkedQueue<>();

	private final AtomicInteger refused = new AtomicInteger();

	private final AtomicInteger badSignatures = new AtomicInteger();

	private volatile boolean refuseRefresh;

	/**
	 * Install on a server.
	 * @param server the server
	 * @param clientId the client id it knows
	 * @param secret the secret it knows
	 * @param life how long each token lives
	 */
	public TokenIssuer(WebsockexTestServer server, String clientId, String secret, Duration life) {
		this.clientId = clientId;
		this.secret = secret;
		this.life = life;
		server.onText(this::onText);
	}

	/**
	 * @return the grant type of every auth call, in order
	 */
	public List<String> grants() {
		return List.copyOf(this.grants);
	}

	/**
	 * @return private calls refused for an expired or missing token
	 */
	public int refused() {
		return this.refused.get();
	}

	/**
	 * @return signed auth calls whose signature did not verify
	 */
	public int badSignatures() {
		return this.badSignatures.get();
	}

	/**
	 * @param refuse {@code true}: answer refresh_token grants with 13009
	 */
	public void refuseRefresh(boolean refuse) {
		this.refuseRefresh = refuse;
	}

	/**
	 * Change the secret the server accepts (a key rotated on the exchange's side).
	 * @param secret the new secret
	 */
	public void rotateSecret(String secret) {
		this.secret = secret;
	}

	private void onText(TestConnection session, String text) {
		JsonNode request = mapper.readTree(text);
		String method = request.path("method").asString("");
		JsonNode params = request.path("params");
		ObjectNode response = mapper.createObjectNode();
		response.put("jsonrpc", "2.0");
		response.set("id", request.get("id"));
		if (method.equals("public/auth")) {
			auth(session, params, response);
		}
		else if (method.startsWith("private/") && !authenticated(session)) {
			this.refused.incrementAndGet();
			error(response, 13009, "unauthorized");
		}
		else if (method.endsWith("/subscribe")) {
			response.set("result", params.get("channels"));
		}
		else {
			response.put("result", "ok");
		}
		session.send(response.toString());
	}

	private boolean authenticated(TestConnection session) {
		long[] until = this.expiry.get(session.id());
		return until != null && System.nanoTime() < until[0];
	}

	private void auth(TestConnection session, JsonNode params, ObjectNode response) {
		String grant = params.path("grant_type").asString("");
		this.grants.add(grant);
		boolean granted = switch (grant) {
			case "client_credentials" -> this.clientId.equals(params.path("client_id").asString())
					&& this.secret.equals(params.path("client_secret").asString());
			case "client_signature" -> signatureVerifies(params);
			case "refresh_token" -> !this.refuseRefresh && authenticated(session)
					&& params.path("refresh_token").asString("").equals(this.refreshTokens.get(session.id()));
			default -> false;
		};
		if (!granted) {
			error(response, grant.equals("refresh_token") ? 13009 : 13004,
					grant.equals("refresh_token") ? "unauthorized" : "invalid_credentials");
			return;
		}
		String refreshToken = UUID.randomUUID().toString();
		this.refreshTokens.put(session.id(), refreshToken);
		this.expiry.put(session.id(), new long[] { System.nanoTime() + this.life.toNanos() });
		ObjectNode result = response.putObject("result");
		result.put("access_token", UUID.randomUUID().toString());
		result.put("expires_in", this.life.toMillis() / 1000.0);
		result.put("refresh_token", refreshToken);
		result.put("token_type", "bearer");
	}

	private boolean signatureVerifies(JsonNode params) {
		long timestamp = params.path("timestamp").asLong(0);
		String nonce = params.path("nonce").asString("");
		String data = params.path("data").asString("");
		String expected = hmac(this.secret, timestamp + "\n" + nonce + "\n" + data);
		boolean fresh = Math.abs(System.currentTimeMillis() - timestamp) < 60_000 && !nonce.isEmpty()
				&& this.nonces.add(nonce);
		boolean ok = fresh && this.clientId.equals(params.path("client_id").asString())
				&& expected.equals(params.path("signature").asString("")) && !params.has("client_secret");
		if (!ok) {
			this.badSignatures.incrementAndGet();
		}
		return ok;
	}

	/**
	 * HMAC-SHA256 in lower-case hex, as Deribit's signature.
	 * @param key the key
	 * @param text the text
	 * @return the hex digest
	 */
	public static String hmac(String key, String text) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void error(ObjectNode response, int code, String message) {
		ObjectNode error = response.putObject("error");
		error.put("code", code);
		error.put("message", message);
	}

}
