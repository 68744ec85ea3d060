package io.websockex.adapter.test.internal;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A platform's built-in answers: what {@code deribit()}, {@code jsonRpc()} and
 * {@code raw()} do for requests that no script answers.
 */
public interface Behaviour {

	/**
	 * Called once per connection, right after the upgrade.
	 * @param session the connection
	 */
	default void onOpen(ServerSession session) {
	}

	/**
	 * Checked before any scripted answer: the platform may refuse a request outright (a
	 * rate limit).
	 * @param session the connection
	 * @param method the request's method
	 * @return an error answer, or {@code null} to go on
	 */
	default @Nullable Answer admit(ServerSession session, String method) {
		return null;
	}

	/**
	 * @param session the connection
	 * @param method the request's method
	 * @param params the request's params (a missing node when absent)
	 * @return the answer, or {@code null} when the platform does not know the method
	 */
	@Nullable Answer answer(ServerSession session, String method, JsonNode params);

	/**
	 * @return fields added to every response, or {@code null}
	 */
	default @Nullable ObjectNode responseFields() {
		return null;
	}

	/**
	 * @return the answer to a method no one knows
	 */
	Answer unknownMethod(String method);

	/**
	 * @return whether {@code push(channel, data)} goes only to connections subscribed to
	 * the channel
	 */
	boolean tracksSubscriptions();

}
