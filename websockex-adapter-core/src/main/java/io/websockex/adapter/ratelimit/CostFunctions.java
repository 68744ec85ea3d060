package io.websockex.adapter.ratelimit;

import java.util.Locale;
import java.util.Map;

import io.websockex.adapter.InvalidConfigException;
import org.jspecify.annotations.Nullable;

/**
 * The built-in {@link CostFunction}s, selected by {@code rate-limit.cost}.
 */
public final class CostFunctions {

	/** Deribit: 500 credits per non-matching-engine request (its rate-limit page). */
	private static final int DERIBIT_CREDITS = 500;

	/**
	 * Request weights of Binance's Spot WebSocket API, from the "Request weight" line of
	 * each method in Binance's WebSocket API documentation (developers.binance.com,
	 * binance-spot-api-docs, web-socket-api), for one symbol and the default parameters.
	 */
	private static final Map<String, Integer> BINANCE_WEIGHTS = Map.ofEntries(
			// General
			Map.entry("ping", 1), Map.entry("time", 1), Map.entry("exchangeInfo", 20),
			// Market data
			Map.entry("depth", 5), Map.entry("trades.recent", 25), Map.entry("trades.historical", 25),
			Map.entry("trades.aggregate", 4), Map.entry("klines", 2), Map.entry("uiKlines", 2),
			Map.entry("avgPrice", 2), Map.entry("ticker.24hr", 2), Map.entry("ticker.tradingDay", 4),
			Map.entry("ticker", 4), Map.entry("ticker.price", 2), Map.entry("ticker.book", 2),
			// Session
			Map.entry("session.logon", 2), Map.entry("session.status", 2), Map.entry("session.logout", 2),
			// Trading
			Map.entry("order.test", 1), Map.entry("order.place", 1), Map.entry("order.status", 4),
			Map.entry("order.cancel", 1), Map.entry("order.cancelReplace", 1), Map.entry("order.amend.keepPriority", 4),
			Map.entry("openOrders.status", 6), Map.entry("openOrders.cancelAll", 1), Map.entry("orderList.place", 1),
			Map.entry("orderList.place.oco", 1), Map.entry("orderList.place.oto", 1),
			Map.entry("orderList.place.otoco", 1), Map.entry("orderList.status", 4), Map.entry("orderList.cancel", 1),
			Map.entry("openOrderLists.status", 6), Map.entry("sor.order.place", 1), Map.entry("sor.order.test", 1),
			// Account
			Map.entry("account.status", 20), Map.entry("account.commission", 20),
			Map.entry("account.rateLimits.orders", 40), Map.entry("allOrders", 20), Map.entry("allOrderLists", 20),
			Map.entry("myTrades", 20), Map.entry("myPreventedMatches", 4), Map.entry("myAllocations", 20),
			// User data stream
			Map.entry("userDataStream.start", 2), Map.entry("userDataStream.ping", 2),
			Map.entry("userDataStream.stop", 2));

	private CostFunctions() {
	}

	/**
	 * One token per message ({@code simple}).
	 * @return the function
	 */
	public static CostFunction simple() {
		return SimpleCost.INSTANCE;
	}

	/**
	 * Deribit's credits ({@code deribit}), as its rate-limit documentation states them
	 * for non-matching-engine requests: every call costs 500 credits, from a pool of
	 * 50,000 refilled at 10,000 per second (20 calls per second, bursts of 100).
	 * Configure the bucket to match:
	 *
	 * <pre>{@code
	 * RateLimit.of(50_000).withRefill(10_000, Duration.ofSeconds(1)).withCost(CostFunctions.deribit());
	 * }</pre>
	 *
	 * Matching-engine calls ({@code private/buy}, {@code private/sell},
	 * {@code private/edit}, {@code private/cancel*}, {@code private/close_position}, ...)
	 * also cost 500 here; Deribit counts them in a separate pool sized by the account's
	 * trading-volume tier, so give them the cost your tier implies with
	 * {@link #deribit(Map)} (or {@code rate-limit.costs}). A frame that is not a JSON-RPC
	 * call costs 500 too: Deribit counts every request.
	 * @return the function
	 */
	public static CostFunction deribit() {
		return deribit(Map.of());
	}

	/**
	 * Deribit's credits, with some methods' costs overridden.
	 *
	 * <pre>{@code
	 * CostFunctions.deribit(Map.of("private/buy", 2500, "public/get_time", 0));
	 * }</pre>
	 * @param overrides method name to cost (0 or more), taking precedence over the
	 * default table
	 * @return the function
	 * @throws InvalidConfigException when a cost is negative
	 */
	public static CostFunction deribit(Map<String, Integer> overrides) {
		return new TableCost("deribit", checked(overrides), Map.of(), DERIBIT_CREDITS);
	}

	/**
	 * Binance's request weights ({@code binance}) for its WebSocket API, as its
	 * documentation lists them for each method at its default parameters; unlisted
	 * methods, and frames that are not requests, weigh 1. Binance's limit is 6,000 weight
	 * per minute per IP ({@code REQUEST_WEIGHT}):
	 *
	 * <pre>{@code
	 * RateLimit.of(6000).withRefill(6000, Duration.ofMinutes(1)).withCost(CostFunctions.binance());
	 * }</pre>
	 *
	 * Weights that grow with a parameter ({@code depth} with a large {@code limit},
	 * {@code ticker.*} over many symbols) are given for one symbol and the default limit;
	 * override them with {@link #binance(Map)} (or {@code rate-limit.costs}).
	 * @return the function
	 */
	public static CostFunction binance() {
		return binance(Map.of());
	}

	/**
	 * Binance's request weights, with some methods' weights overridden.
	 * @param weights method name to weight (0 or more), taking precedence over the
	 * built-in table
	 * @return the function
	 * @throws InvalidConfigException when a weight is negative
	 */
	public static CostFunction binance(Map<String, Integer> weights) {
		return new TableCost("binance", checked(weights), BINANCE_WEIGHTS, 1);
	}

	/**
	 * Any cost function with some methods' costs overridden ({@code rate-limit.costs}
	 * over {@code rate-limit.cost}).
	 *
	 * <pre>{@code
	 * CostFunctions.overriding(CostFunctions.binance(), Map.of("depth", 50));
	 * }</pre>
	 * @param base the function for every other method
	 * @param overrides method name to cost (0 or more)
	 * @return the function
	 * @throws InvalidConfigException when a cost is negative
	 */
	public static CostFunction overriding(CostFunction base, Map<String, Integer> overrides) {
		Map<String, Integer> costs = checked(overrides);
		if (costs.isEmpty()) {
			return base;
		}
		return new CostFunction() {

			@Override
			public int cost(@Nullable String method) {
				Integer cost = (method != null) ? costs.get(method) : null;
				return (cost != null) ? cost : base.cost(method);
			}

			@Override
			public String toString() {
				return base + costs.toString();
			}

		};
	}

	private static Map<String, Integer> checked(Map<String, Integer> costs) {
		costs.forEach((method, cost) -> {
			if (cost < 0) {
				throw new InvalidConfigException("rate-limit.costs." + method,
						"the cost of '" + method + "' must be 0 or more, was " + cost);
			}
		});
		return Map.copyOf(costs);
	}

	/**
	 * The built-in function of a {@code rate-limit.cost} value.
	 * @param name {@code simple}, {@code deribit} or {@code binance}
	 * @return the function
	 * @throws InvalidConfigException for another name
	 */
	public static CostFunction named(String name) {
		return named(name, Map.of());
	}

	/**
	 * The built-in function of a {@code rate-limit.cost} value with the per-method costs
	 * of {@code rate-limit.costs} merged over its table.
	 *
	 * <pre>{@code
	 * CostFunctions.named("binance", Map.of("depth", 50));   // depth with limit=1000
	 * }</pre>
	 * @param name {@code simple}, {@code deribit} or {@code binance}
	 * @param overrides method name to cost (0 or more); with {@code simple}, unlisted
	 * methods cost 1
	 * @return the function
	 * @throws InvalidConfigException for another name or a negative cost
	 */
	public static CostFunction named(String name, Map<String, Integer> overrides) {
		return switch (name.trim().toLowerCase(Locale.ROOT)) {
			case "simple" -> overrides.isEmpty() ? simple() : new TableCost("simple", checked(overrides), Map.of(), 1);
			case "deribit" -> deribit(overrides);
			case "binance" -> binance(overrides);
			default -> throw new InvalidConfigException("rate-limit.cost",
					"unknown cost function '" + name + "': use simple, deribit or binance");
		};
	}

	private enum SimpleCost implements CostFunction {

		INSTANCE;

		@Override
		public int cost(@Nullable String method) {
			return 1;
		}

		@Override
		public String toString() {
			return "simple";
		}

	}

	/**
	 * Overrides first, then the table, then the default; a frame with no method pays the
	 * default.
	 */
	private record TableCost(String name, Map<String, Integer> overrides, Map<String, Integer> table,
			int otherwise) implements CostFunction {

		@Override
		public int cost(@Nullable String method) {
			if (method == null) {
				return this.otherwise;
			}
			Integer override = this.overrides.get(method);
			if (override != null) {
				return override;
			}
			return this.table.getOrDefault(method, this.otherwise);
		}

		@Override
		public String toString() {
			return this.overrides.isEmpty() ? this.name : this.name + this.overrides;
		}

	}

}
