package io.websockex.adapter.platform;

import java.util.Collection;

import io.websockex.adapter.Credentials;
import io.websockex.adapter.WebsockexException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * No JSON-RPC dialect: no subscriptions, no auth, no notifications.
 */
final class RawPlatform implements Platform {

	static final RawPlatform INSTANCE = new RawPlatform();

	private RawPlatform() {
	}

	@Override
	public String name() {
		return "raw";
	}

	@Override
	public boolean supportsSubscriptions() {
		return false;
	}

	@Override
	public Call subscribe(Collection<String> channels, boolean authenticated) {
		throw unsupported();
	}

	@Override
	public Call unsubscribe(Collection<String> channels, boolean authenticated) {
		throw unsupported();
	}

	private static WebsockexException unsupported() {
		return new WebsockexException("platform 'raw' has no subscriptions: send the server's own subscribe "
				+ "message with send(...), or set platform to deribit or json-rpc");
	}

	@Override
	public @Nullable Call auth(Credentials credentials) {
		return null;
	}

	@Override
	public @Nullable Notification notification(JsonNode message) {
		return null;
	}

	@Override
	public String toString() {
		return name();
	}

}
