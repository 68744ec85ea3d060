package io.websockex.adapter.platform;

import java.util.Locale;

import io.websockex.adapter.InvalidConfigException;

/**
 * The built-in {@link Platform} dialects, selected by the {@code platform} property.
 */
public final class Platforms {

	private Platforms() {
	}

	/**
	 * Deribit's API v2: {@code public/subscribe} (or {@code private/subscribe} once
	 * authenticated), {@code public/unsubscribe} (or {@code private/unsubscribe}),
	 * {@code public/auth} with {@code client_credentials}, notifications
	 * {@code {"method":"subscription","params":{"channel":...,"data":...}}}.
	 * @return the dialect
	 */
	public static Platform deribit() {
		return DeribitPlatform.INSTANCE;
	}

	/**
	 * A generic JSON-RPC 2.0 dialect with Deribit's shapes: {@code public/subscribe} /
	 * {@code public/unsubscribe} with {@code {"channels":[...]}} and notifications with
	 * method {@code subscription}, {@code params.channel} and {@code params.data}. It has
	 * no auth call.
	 * @return the dialect
	 */
	public static Platform jsonRpc() {
		return jsonRpc("public/subscribe", "public/unsubscribe", "subscription");
	}

	/**
	 * A generic JSON-RPC 2.0 dialect with your method names. Calls carry
	 * {@code {"channels":[...]}}; notifications are recognised by their method and carry
	 * {@code params.channel} and {@code params.data}.
	 * @param subscribeMethod the subscribe method
	 * @param unsubscribeMethod the unsubscribe method
	 * @param notificationMethod the method of channel notifications
	 * @return the dialect
	 */
	public static Platform jsonRpc(String subscribeMethod, String unsubscribeMethod, String notificationMethod) {
		return new JsonRpcPlatform(subscribeMethod, unsubscribeMethod, notificationMethod);
	}

	/**
	 * No JSON-RPC: frames go to {@code messages()} untouched; subscribe is unsupported.
	 * @return the dialect
	 */
	public static Platform raw() {
		return RawPlatform.INSTANCE;
	}

	/**
	 * The built-in dialect of a {@code platform} value.
	 * @param name {@code deribit}, {@code json-rpc} or {@code raw}
	 * @return the dialect
	 * @throws InvalidConfigException for another name
	 */
	public static Platform named(String name) {
		return switch (name.trim().toLowerCase(Locale.ROOT)) {
			case "deribit" -> deribit();
			case "json-rpc", "jsonrpc", "json_rpc" -> jsonRpc();
			case "raw" -> raw();
			default -> throw new InvalidConfigException("platform",
					"unknown platform '" + name + "': use deribit, json-rpc or raw");
		};
	}

}
