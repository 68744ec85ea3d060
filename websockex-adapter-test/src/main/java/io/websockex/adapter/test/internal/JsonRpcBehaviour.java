package io.websockex.adapter.test.internal;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Generic JSON-RPC 2.0: any {@code .../subscribe} or {@code .../unsubscribe} method with
 * {@code {"channels":[...]}} is acknowledged with the channels; other methods are unknown
 * ({@code -32601 Method not found}).
 */
public final class JsonRpcBehaviour implements Behaviour {

	@Override
	public @Nullable Answer answer(ServerSession session, String method, JsonNode params) {
		if (Subscriptions.isSubscribe(method) || Subscriptions.isUnsubscribe(method)) {
			return Answer.result(params.path("channels"));
		}
		return null;
	}

	@Override
	public Answer unknownMethod(String method) {
		return Answer.methodNotFound(method);
	}

	@Override
	public boolean tracksSubscriptions() {
		return true;
	}

}
