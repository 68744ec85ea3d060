package io.websockex.adapter.ratelimit;

import java.util.Map;

import io.websockex.adapter.InvalidConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The built-in cost functions.
 */
class CostFunctionsTests {

	@Test
	void simpleCostsOnePerMessage() {
		CostFunction simple = CostFunctions.simple();
		assertThat(simple.cost("private/buy")).isEqualTo(1);
		assertThat(simple.cost(null)).isEqualTo(1);
		assertThat(simple).hasToString("simple");
	}

	@Test
	void deribitCostsCreditsByMethod() {
		CostFunction deribit = CostFunctions.deribit();
		assertThat(deribit.cost("public/get_time")).isEqualTo(1);
		assertThat(deribit.cost("public/subscribe")).isEqualTo(1);
		assertThat(deribit.cost("private/get_positions")).isEqualTo(5);
		assertThat(deribit.cost("private/set_heartbeat")).isEqualTo(10);
		assertThat(deribit.cost("private/buy")).isEqualTo(15);
		assertThat(deribit.cost("private/sell")).isEqualTo(15);
		assertThat(deribit.cost("private/cancel_all")).isEqualTo(5);
		assertThat(deribit.cost("private/buy_something")).isEqualTo(5);
		assertThat(deribit.cost(null)).isEqualTo(1);
	}

	@Test
	void deribitOverridesTakePrecedenceOverTheTable() {
		CostFunction deribit = CostFunctions.deribit(Map.of("private/buy", 25, "public/get_time", 0));
		assertThat(deribit.cost("private/buy")).isEqualTo(25);
		assertThat(deribit.cost("public/get_time")).isZero();
		assertThat(deribit.cost("private/sell")).isEqualTo(15);
	}

	@Test
	void binanceWeighsListedMethodsAndOneOtherwise() {
		CostFunction binance = CostFunctions.binance(Map.of("depth", 50, "order.place", 1));
		assertThat(binance.cost("depth")).isEqualTo(50);
		assertThat(binance.cost("ticker.price")).isEqualTo(1);
		assertThat(binance.cost(null)).isEqualTo(1);
		assertThat(CostFunctions.binance().cost("depth")).isEqualTo(1);
	}

	@Test
	void namedSelectsTheBuiltInFunctionWhateverTheCase() {
		assertThat(CostFunctions.named("simple")).hasToString("simple");
		assertThat(CostFunctions.named(" Deribit ").cost("private/buy")).isEqualTo(15);
		assertThat(CostFunctions.named("BINANCE")).hasToString("binance");
	}

	@Test
	void unknownNameNamesThePropertyAndTheAcceptedValues() {
		assertThatExceptionOfType(InvalidConfigException.class).isThrownBy(() -> CostFunctions.named("kraken"))
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("rate-limit.cost"))
			.withMessageContaining("kraken")
			.withMessageContaining("simple, deribit or binance");
	}

	@Test
	void negativeCostInATableIsRefusedNamingTheMethod() {
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> CostFunctions.deribit(Map.of("private/buy", -1)))
			.withMessageContaining("rate-limit.cost")
			.withMessageContaining("private/buy");
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> CostFunctions.binance(Map.of("depth", -5)))
			.withMessageContaining("depth");
	}

	@Test
	void settingsValidationNamesEachProperty() {
		assertThatExceptionOfType(InvalidConfigException.class).isThrownBy(() -> RateLimit.of(0))
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("rate-limit.capacity"));
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> RateLimit.of(5).withRefill(0, java.time.Duration.ofSeconds(1)))
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("rate-limit.refill-rate"));
		assertThatExceptionOfType(InvalidConfigException.class)
			.isThrownBy(() -> RateLimit.of(5).withRefill(5, java.time.Duration.ZERO))
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("rate-limit.refill-interval"));
		assertThatExceptionOfType(InvalidConfigException.class).isThrownBy(() -> RateLimit.of(5).withMaxQueue(-1))
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("rate-limit.max-queue"));
	}

}
