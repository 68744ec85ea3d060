package io.websockex.adapter.internal.client;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffPolicyTests {

	@Test
	void doublesFromTheRetryDelayUpToTheCap() {
		BackoffPolicy policy = new BackoffPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 0, () -> 0.5);
		assertThat(policy.delay(0)).isEqualTo(Duration.ofSeconds(1));
		assertThat(policy.delay(1)).isEqualTo(Duration.ofSeconds(2));
		assertThat(policy.delay(4)).isEqualTo(Duration.ofSeconds(16));
		assertThat(policy.delay(5)).isEqualTo(Duration.ofSeconds(30));
		assertThat(policy.delay(62)).isEqualTo(Duration.ofSeconds(30));
		assertThat(policy.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void jitterSpreadsEachDelaySymmetrically() {
		BackoffPolicy low = new BackoffPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2, () -> 0.0);
		BackoffPolicy high = new BackoffPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2, () -> 0.999999);
		assertThat(low.delay(1)).isEqualTo(Duration.ofMillis(1600));
		assertThat(high.delay(1).toMillis()).isEqualTo(2399);
		assertThat(low.delay(10)).isEqualTo(Duration.ofSeconds(24));
	}

	@Test
	void fullJitterNeverGoesNegative() {
		BackoffPolicy policy = new BackoffPolicy(Duration.ofMillis(10), Duration.ofMillis(10), 1, () -> 0.0);
		assertThat(policy.delay(3)).isEqualTo(Duration.ZERO);
	}

}
