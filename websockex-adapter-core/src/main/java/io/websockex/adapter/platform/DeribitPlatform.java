package io.websockex.adapter.platform;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.websockex.adapter.Credentials;
import io.websockex.adapter.WebsockexException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Deribit's API v2 dialect.
 */
final class DeribitPlatform extends JsonRpcPlatform {

	static final DeribitPlatform INSTANCE = new DeribitPlatform();

	// Nonces need only be unpredictable and unrepeated; one generator serves every
	// client (SecureRandom is thread-safe).
	private static final SecureRandom NONCES = new SecureRandom();

	private DeribitPlatform() {
		super("public/subscribe", "public/unsubscribe", "subscription");
	}

	@Override
	public String name() {
		return "deribit";
	}

	@Override
	public Call subscribe(Collection<String> channels, boolean authenticated) {
		return new Call(authenticated ? "private/subscribe" : "public/subscribe", channelsParam(channels));
	}

	@Override
	public Call unsubscribe(Collection<String> channels, boolean authenticated) {
		return new Call(authenticated ? "private/unsubscribe" : "public/unsubscribe", channelsParam(channels));
	}

	/**
	 * {@code public/auth} with {@code client_credentials}, or with
	 * {@code client_signature}: Deribit's documented signature is the hex HMAC-SHA256,
	 * keyed with the client secret, of {@code timestamp + "\n" + nonce + "\n" + data},
	 * the timestamp in milliseconds; the secret itself is not sent. Each call is signed
	 * afresh (the server refuses a timestamp far from its clock).
	 */
	@Override
	public Call auth(Credentials credentials) {
		if (credentials.method() == Credentials.Method.CLIENT_SIGNATURE) {
			return signedAuth(credentials, System.currentTimeMillis(), nonce());
		}
		return new Call("public/auth", Map.of("grant_type", "client_credentials", "client_id", credentials.clientId(),
				"client_secret", credentials.clientSecret()));
	}

	static Call signedAuth(Credentials credentials, long timestamp, String nonce) {
		String data = "";
		Map<String, Object> params = new LinkedHashMap<>();
		params.put("grant_type", "client_signature");
		params.put("client_id", credentials.clientId());
		params.put("timestamp", timestamp);
		params.put("nonce", nonce);
		params.put("data", data);
		params.put("signature", signature(credentials.clientSecret(), timestamp + "\n" + nonce + "\n" + data));
		return new Call("public/auth", params);
	}

	static String signature(String secret, String text) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			// Every Java runtime has HmacSHA256; the message must not carry the key.
			throw new WebsockexException("cannot sign the Deribit auth call: HmacSHA256 is unavailable ("
					+ ex.getClass().getSimpleName() + "); use auth.method client-credentials");
		}
	}

	private static String nonce() {
		byte[] bytes = new byte[12];
		NONCES.nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	/**
	 * Deribit answers {@code public/auth} with {@code expires_in} (seconds) and a
	 * {@code refresh_token}.
	 */
	@Override
	public @Nullable Token token(JsonNode result) {
		JsonNode expiresIn = result.get("expires_in");
		if (expiresIn == null || !expiresIn.isNumber() || expiresIn.asDouble() <= 0) {
			return null;
		}
		JsonNode refreshToken = result.get("refresh_token");
		return new Token(Duration.ofMillis(Math.round(expiresIn.asDouble() * 1000)),
				(refreshToken != null && refreshToken.isString()) ? refreshToken.asString() : null);
	}

	@Override
	public Call refresh(String refreshToken) {
		return new Call("public/auth", Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
	}

	/**
	 * Deribit's errors for bad credentials: 13004 {@code invalid_credentials}, 13009
	 * {@code unauthorized}; others (e.g. 10028 {@code too_many_requests}) are transient.
	 */
	@Override
	public boolean rejectsCredentials(int code) {
		return code == 13004 || code == 13009;
	}

	/**
	 * Deribit's book notifications carry {@code change_id}, increasing per instrument.
	 */
	@Override
	public long sequence(Notification notification) {
		JsonNode changeId = notification.data().get("change_id");
		return (changeId != null && changeId.isIntegralNumber()) ? changeId.asLong() : NO_SEQUENCE;
	}

	@Override
	public String toString() {
		return name();
	}

}
