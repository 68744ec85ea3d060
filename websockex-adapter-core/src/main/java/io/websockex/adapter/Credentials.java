package io.websockex.adapter;

import java.util.Locale;

/**
 * Credentials for the platform's authentication call after every (re)connect (Deribit:
 * {@code public/auth}), how they are presented and when the token they buy is refreshed.
 * The secret never appears in {@link #toString()}, logs, exception messages, metrics or
 * the actuator endpoint; with {@link Method#CLIENT_SIGNATURE} it never leaves the process
 * either.
 *
 * <pre>{@code
 * new Credentials("my-id", secret).withMethod(Credentials.Method.CLIENT_SIGNATURE).withRefreshAt(0.8);
 * }</pre>
 *
 * @param clientId the client id
 * @param clientSecret the client secret
 * @param method how the secret proves who the client is ({@code auth.method})
 * @param refreshAt fraction of the token's life after which it is refreshed on the live
 * connection, above 0 and below 1 ({@code auth.refresh-at})
 */
public record Credentials(String clientId, String clientSecret, Method method, double refreshAt) {

	/** Default {@code auth.refresh-at}: refresh once 80% of the token's life is over. */
	public static final double DEFAULT_REFRESH_AT = 0.8;

	/**
	 * Validate the credentials.
	 * @param clientId the client id
	 * @param clientSecret the client secret
	 * @param method how the secret is presented
	 * @param refreshAt when the token is refreshed, as a fraction of its life
	 */
	public Credentials {
		if (clientId == null || clientId.isBlank()) {
			throw new InvalidConfigException("auth.client-id", "must not be empty when auth is configured");
		}
		if (clientSecret == null || clientSecret.isEmpty()) {
			throw new InvalidConfigException("auth.client-secret", "must not be empty when auth is configured");
		}
		if (method == null) {
			throw new InvalidConfigException("auth.method", "must be client-credentials or client-signature");
		}
		if (!(refreshAt > 0 && refreshAt < 1)) {
			throw new InvalidConfigException("auth.refresh-at",
					"must be above 0 and below 1 (a fraction of the token's life, 0.8 by default), was " + refreshAt);
		}
	}

	/**
	 * Credentials sent as they are ({@link Method#CLIENT_CREDENTIALS}), refreshed at 80%
	 * of the token's life.
	 * @param clientId the client id
	 * @param clientSecret the client secret
	 */
	public Credentials(String clientId, String clientSecret) {
		this(clientId, clientSecret, Method.CLIENT_CREDENTIALS, DEFAULT_REFRESH_AT);
	}

	/**
	 * A copy presented another way.
	 * @param method how the secret proves who the client is
	 * @return the credentials
	 */
	public Credentials withMethod(Method method) {
		return new Credentials(this.clientId, this.clientSecret, method, this.refreshAt);
	}

	/**
	 * A copy refreshed at another point of the token's life.
	 * @param refreshAt fraction of the token's life, above 0 and below 1
	 * @return the credentials
	 */
	public Credentials withRefreshAt(double refreshAt) {
		return new Credentials(this.clientId, this.clientSecret, this.method, refreshAt);
	}

	@Override
	public String toString() {
		return "Credentials[clientId=" + this.clientId + ", clientSecret=******, method=" + this.method.value()
				+ ", refreshAt=" + this.refreshAt + "]";
	}

	/**
	 * How the client proves who it is ({@code auth.method}).
	 */
	public enum Method {

		/**
		 * Send the id and the secret ({@code client-credentials}; Deribit's
		 * {@code grant_type=client_credentials}).
		 */
		CLIENT_CREDENTIALS("client-credentials"),

		/**
		 * Send an HMAC-SHA256 signature of a timestamp and a nonce keyed with the secret,
		 * which never leaves the process ({@code client-signature}; Deribit's
		 * {@code grant_type=client_signature}).
		 */
		CLIENT_SIGNATURE("client-signature");

		private final String value;

		Method(String value) {
			this.value = value;
		}

		/**
		 * The name as in the {@code auth.method} property.
		 * @return e.g. {@code client-signature}
		 */
		public String value() {
			return this.value;
		}

		/**
		 * The method of an {@code auth.method} value.
		 * @param value {@code client-credentials} or {@code client-signature} (case and
		 * {@code _} or {@code -} do not matter)
		 * @return the method
		 * @throws InvalidConfigException for another value
		 */
		public static Method named(String value) {
			String normal = value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
			for (Method method : values()) {
				if (method.value.equals(normal)) {
					return method;
				}
			}
			throw new InvalidConfigException("auth.method",
					"unknown auth method '" + value + "': use client-credentials or client-signature");
		}

	}

}
