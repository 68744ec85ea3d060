package io.websockex.adapter.platform;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.websockex.adapter.Credentials;
import io.websockex.adapter.internal.jsonrpc.NotificationShape;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A JSON-RPC dialect with configurable method names and Deribit's notification shape.
 */
class JsonRpcPlatform implements Platform, NotificationShape {

	private final String subscribeMethod;

	private final String unsubscribeMethod;

	private final String notificationMethod;

	JsonRpcPlatform(String subscribeMethod, String unsubscribeMethod, String notificationMethod) {
		this.subscribeMethod = subscribeMethod;
		this.unsubscribeMethod = unsubscribeMethod;
		this.notificationMethod = notificationMethod;
	}

	@Override
	public String name() {
		return "json-rpc";
	}

	@Override
	public Call subscribe(Collection<String> channels, boolean authenticated) {
		return new Call(this.subscribeMethod, channelsParam(channels));
	}

	@Override
	public Call unsubscribe(Collection<String> channels, boolean authenticated) {
		return new Call(this.unsubscribeMethod, channelsParam(channels));
	}

	@Override
	public @Nullable Call auth(Credentials credentials) {
		return null;
	}

	@Override
	public String notificationMethod() {
		return this.notificationMethod;
	}

	@Override
	public @Nullable Notification notification(JsonNode message) {
		JsonNode method = message.get("method");
		if (method == null || !this.notificationMethod.equals(method.asString(""))) {
			return null;
		}
		JsonNode params = message.get("params");
		JsonNode channel = (params != null) ? params.get("channel") : null;
		if (channel == null || !channel.isString()) {
			return null;
		}
		JsonNode data = params.get("data");
		return new Notification(channel.asString(), (data != null) ? data : params);
	}

	static Map<String, Object> channelsParam(Collection<String> channels) {
		return Map.of("channels", List.copyOf(channels));
	}

	@Override
	public String toString() {
		return name() + "[" + this.subscribeMethod + ", " + this.unsubscribeMethod + ", " + this.notificationMethod
				+ "]";
	}

}
