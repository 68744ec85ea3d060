package io.websockex.adapter.platform;

import java.util.Collection;
import java.util.Map;

import io.websockex.adapter.Credentials;
import tools.jackson.databind.JsonNode;

/**
 * Deribit's API v2 dialect.
 */
final class DeribitPlatform extends JsonRpcPlatform {

	static final DeribitPlatform INSTANCE = new DeribitPlatform();

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

	@Override
	public Call auth(Credentials credentials) {
		return new Call("public/auth", Map.of("grant_type", "client_credentials", "client_id", credentials.clientId(),
				"client_secret", credentials.clientSecret()));
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
