package io.websockex.adapter.test.internal;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * No protocol: nothing is answered unless a script says so, and pushes go to every
 * connection.
 */
public final class RawBehaviour implements Behaviour {

	@Override
	public @Nullable Answer answer(ServerSession session, String method, JsonNode params) {
		return null;
	}

	@Override
	public Answer unknownMethod(String method) {
		return Answer.NONE;
	}

	@Override
	public boolean tracksSubscriptions() {
		return false;
	}

}
