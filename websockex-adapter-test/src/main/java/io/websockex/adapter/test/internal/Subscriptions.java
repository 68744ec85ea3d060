package io.websockex.adapter.test.internal;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * Recognises subscribe and unsubscribe calls by their method name, whatever the platform
 * prefixes them with ({@code public/subscribe}, {@code private/subscribe},
 * {@code subscribe}), and keeps a connection's subscriptions in step with the server's
 * acknowledgements.
 */
public final class Subscriptions {

	private Subscriptions() {
	}

	/**
	 * @param method a method
	 * @return whether it subscribes
	 */
	public static boolean isSubscribe(String method) {
		return method.equals("subscribe") || method.endsWith("/subscribe");
	}

	/**
	 * @param method a method
	 * @return whether it unsubscribes
	 */
	public static boolean isUnsubscribe(String method) {
		return method.equals("unsubscribe") || method.endsWith("/unsubscribe");
	}

	/**
	 * Track what a successful answer acknowledged: the channels of an array result, or
	 * else the channels asked for.
	 * @param session the connection
	 * @param method the request's method
	 * @param params the request's params
	 * @param answer the answer about to be sent
	 * @return the channels newly subscribed, to announce once the answer is written
	 */
	public static List<String> track(ServerSession session, String method, JsonNode params, Answer answer) {
		boolean subscribe = isSubscribe(method);
		if (answer.result() == null || (!subscribe && !isUnsubscribe(method))) {
			return List.of();
		}
		List<String> added = new ArrayList<>();
		JsonNode channels = answer.result().isArray() ? answer.result() : params.path("channels");
		for (JsonNode channel : channels) {
			if (channel.isString()) {
				if (subscribe) {
					if (session.subscribed(channel.asString())) {
						added.add(channel.asString());
					}
				}
				else {
					session.unsubscribed(channel.asString());
				}
			}
		}
		return added;
	}

}
