package io.websockex.adapter.ratelimit;

import java.util.Locale;
import java.util.Map;

import io.websockex.adapter.InvalidConfigException;
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
	 * Deribit's credits by method ({@code deribit}), a default table:
	 * <table>
	 * <caption>Default Deribit credits</caption>
	 * <tr>
	 * <th>method</th>
	 * <th>credits</th>
	 * </tr>
	 * <tr>
	 * <td>{@code public/*}</td>
	 * <td>1</td>
	 * </tr>
	 * <tr>
	 * <td>{@code private/get_*}</td>
	 * <td>5</td>
	 * </tr>
	 * <tr>
	 * <td>{@code private/set_*}</td>
	 * <td>10</td>
	 * </tr>
	 * <tr>
	 * <td>{@code private/buy}, {@code private/sell}</td>
	 * <td>15</td>
	 * </tr>
	 * <tr>
	 * <td>any other method</td>
	 * <td>5</td>
	 * </tr>
	 * <tr>
	 * <td>a frame that is not a JSON-RPC call</td>
	 * <td>1</td>
	 * </tr>
	 * </table>
	 * Deribit's real figures depend on the account tier; override single methods with
	 * {@link #deribit(Map)}.
	 * @return the function
	 */
	public static CostFunction deribit() {
		return deribit(Map.of());
	}

	/**
	 * Deribit's credits, with some methods' costs overridden.
	 *
	 * <pre>{@code
	 * CostFunctions.deribit(Map.of("private/buy", 25, "public/get_time", 0));
	 * }</pre>
	 * @param overrides method name to cost (0 or more), taking precedence over the
	 * default table
	 * @return the function
	 * @throws InvalidConfigException when a cost is negative
	 */
	public static CostFunction deribit(Map<String, Integer> overrides) {
		return new DeribitCost(checked(overrides));
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
	 * @param weights method name to weight (0 or more); unlisted methods weigh 1
	 * @return the function
	 * @throws InvalidConfigException when a weight is negative
	 */
	public static CostFunction binance(Map<String, Integer> weights) {
		return new WeightTableCost("binance", checked(weights));
	}

	private static Map<String, Integer> checked(Map<String, Integer> costs) {
		costs.forEach((method, cost) -> {
			if (cost < 0) {
				throw new InvalidConfigException("rate-limit.cost",
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
		return switch (name.trim().toLowerCase(Locale.ROOT)) {
			case "simple" -> simple();
			case "deribit" -> deribit();
			case "binance" -> binance();
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
