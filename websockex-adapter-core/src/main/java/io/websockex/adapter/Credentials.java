package io.websockex.adapter;

/**
 * Credentials for the platform's authentication call after every (re)connect (Deribit:
 * {@code public/auth} with {@code client_credentials}). The secret never appears in
 * {@link #toString()}, logs, exception messages, metrics or the actuator endpoint.
 *
 * @param clientId the client id
 * @param clientSecret the client secret
 */
public record Credentials(String clientId, String clientSecret) {

	/**
	 * Validate the credentials.
	 * @param clientId the client id
	 * @param clientSecret the client secret
	 */
	public Credentials {
		if (clientId == null || clientId.isBlank()) {
			throw new InvalidConfigException("auth.client-id", "must not be empty when auth is configured");
		}
		if (clientSecret == null || clientSecret.isEmpty()) {
			throw new InvalidConfigException("auth.client-secret", "must not be empty when auth is configured");
		}
	}

	@Override
	public String toString() {
		return "Credentials[clientId=" + this.clientId + ", clientSecret=******]";
	}

}
