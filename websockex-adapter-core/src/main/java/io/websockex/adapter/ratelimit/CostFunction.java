package io.websockex.adapter.ratelimit;

import org.jspecify.annotations.Nullable;

/**
 * How many tokens an outgoing message costs. Implement it for a server whose limits the
 * built-in functions ({@link CostFunctions#simple()}, {@link CostFunctions#deribit()},
 * {@link CostFunctions#binance()}) do not describe. It may be called on the connection's
 * I/O thread (a Netty event loop: the subscriptions restored after a connect are sent
 * from there), so keep it a quick, pure computation that never blocks.
 *
 * <pre>{@code
 * CostFunction mine = method -> (method != null && method.startsWith("private/")) ? 3 : 1;
 * }</pre>
 */
@FunctionalInterface
public interface CostFunction {

	/**
	 * The cost of one message.
	 * @param method the JSON-RPC method of the message, or {@code null} when the message
	 * is not a JSON-RPC call (plain text or binary)
	 * @return tokens, 0 or more (0: free, yet still sent in its turn); a cost above
	 * {@code rate-limit.capacity} fails the send at once
	 */
	int cost(@Nullable String method);

}
