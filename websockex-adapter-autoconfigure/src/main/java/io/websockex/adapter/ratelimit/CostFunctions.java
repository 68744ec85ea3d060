package io.websockex.adapter.ratelimit;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The built-in {@link CostFunction}s, selected by {@code rate-limit.cost}.
 */
public final class CostFunctions {

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
	 * Deribit's credits by method ({@code deribit}): {@code public/*} 1,
	 * {@code private/get_*} 5, {@code private/set_*} 10, {@code private/buy} and
	 * {@code private/sell} 15, any other method 5; a frame that is not a JSON-RPC call 1.
	 * Override single methods with {@link #deribit(Map)}.
	 * @return the function
	 */
	public static CostFunction deribit() {
		return deribit(Map.of());
	}

	/**
	 * Deribit's credits, with some methods' costs overridden.
	 * @param overrides method name to cost, taking precedence over the default table
	 * @return the function
	 */
	public static CostFunction deribit(Map<String, Integer> overrides) {
		return new DeribitCost(Map.copyOf(overrides));
	}

	/**
	 * Binance's request weights ({@code binance}): every method weighs 1 unless listed.
	 * Give the weights of the methods you call with {@link #binance(Map)}.
	 * @return the function
	 */
	public static CostFunction binance() {
		return binance(Map.of());
	}

	/**
	 * Binance's request weights.
	 * @param weights method name to weight; unlisted methods weigh 1
	 * @return the function
	 */
	public static CostFunction binance(Map<String, Integer> weights) {
		return new WeightTableCost("binance", Map.copyOf(weights));
	}

	/**
	 * The built-in function of a {@code rate-limit.cost} value.
	 * @param name {@code simple}, {@code deribit} or {@code binance}
	 * @return the function
	 * @throws io.websockex.adapter.InvalidConfigException for another name
	 */
	public static CostFunction named(String name) {
		return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
			case "simple" -> simple();
			case "deribit" -> deribit();
			case "binance" -> binance();
			default -> throw new io.websockex.adapter.InvalidConfigException("rate-limit.cost",
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

	private record DeribitCost(Map<String, Integer> overrides) implements CostFunction {

		@Override
		public int cost(@Nullable String method) {
			if (method == null) {
				return 1;
			}
			Integer override = this.overrides.get(method);
			if (override != null) {
				return override;
			}
			if (method.startsWith("public/")) {
				return 1;
			}
			if (method.equals("private/buy") || method.equals("private/sell")) {
				return 15;
			}
			if (method.startsWith("private/get_")) {
				return 5;
			}
			if (method.startsWith("private/set_")) {
				return 10;
			}
			return 5;
		}

		@Override
		public String toString() {
			return "deribit";
		}

	}

	private record WeightTableCost(String name, Map<String, Integer> weights) implements CostFunction {

		@Override
		public int cost(@Nullable String method) {
			return (method != null) ? this.weights.getOrDefault(method, 1) : 1;
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
