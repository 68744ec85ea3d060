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
	void deribitCostsTheDocumentedFiveHundredCreditsPerRequest() {
		CostFunction deribit = CostFunctions.deribit();
		assertThat(deribit.cost("public/get_time")).isEqualTo(500);
		assertThat(deribit.cost("private/get_positions")).isEqualTo(500);
		assertThat(deribit.cost("private/buy")).isEqualTo(500);
		assertThat(deribit.cost(null)).isEqualTo(500);
		assertThat(deribit).hasToString("deribit");
	}

	@Test
	void deribitOverridesTakePrecedenceOverTheTable() {
		CostFunction deribit = CostFunctions.deribit(Map.of("private/buy", 2500, "public/get_time", 0));
		assertThat(deribit.cost("private/buy")).isEqualTo(2500);
		assertThat(deribit.cost("public/get_time")).isZero();
		assertThat(deribit.cost("private/sell")).isEqualTo(500);
	}

	@Test
	void binanceWeighsItsDocumentedMethodsAndOneOtherwise() {
		CostFunction binance = CostFunctions.binance();
		assertThat(binance.cost("depth")).isEqualTo(5);
		assertThat(binance.cost("exchangeInfo")).isEqualTo(20);
		assertThat(binance.cost("trades.recent")).isEqualTo(25);
		assertThat(binance.cost("order.place")).isEqualTo(1);
		assertThat(binance.cost("order.status")).isEqualTo(4);
		assertThat(binance.cost("account.status")).isEqualTo(20);
		assertThat(binance.cost("account.rateLimits.orders")).isEqualTo(40);
		assertThat(binance.cost("userDataStream.start")).isEqualTo(2);
		assertThat(binance.cost("not.a.documented.method")).isEqualTo(1);
		assertThat(binance.cost(null)).isEqualTo(1);
	}

	@Test
	void binanceOverridesMergeOverTheTable() {
		CostFunction binance = CostFunctions.binance(Map.of("depth", 50, "my.method", 3));
		assertThat(binance.cost("depth")).isEqualTo(50);
		assertThat(binance.cost("my.method")).isEqualTo(3);
		assertThat(binance.cost("exchangeInfo")).isEqualTo(20);
	}

	@Test
	void namedSelectsTheBuiltInFunctionWhateverTheCaseAndMergesOverrides() {
		assertThat(CostFunctions.named("simple")).hasToString("simple");
		assertThat(CostFunctions.named(" Deribit ").cost("private/buy")).isEqualTo(500);
		assertThat(CostFunctions.named("BINANCE")).hasToString("binance");
		assertThat(CostFunctions.named("binance", Map.of("depth", 250)).cost("depth")).isEqualTo(250);
		CostFunction simple = CostFunctions.named("simple", Map.of("heavy", 7));
		assertThat(simple.cost("heavy")).isEqualTo(7);
		assertThat(simple.cost("light")).isEqualTo(1);
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
			.satisfies((ex) -> assertThat(ex.property()).isEqualTo("rate-limit.costs.private/buy"))
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
