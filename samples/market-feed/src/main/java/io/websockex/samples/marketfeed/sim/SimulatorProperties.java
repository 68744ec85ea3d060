package io.websockex.samples.marketfeed.sim;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the simulated exchange.
 *
 * @param clientId the client id {@code public/auth} accepts
 * @param clientSecret the secret {@code public/auth} accepts
 * @param tickInterval how often each instrument's ticker is published
 * @param tradesPerSecond about how many trade notifications are published per second
 * @param seed seed of the random walk, so that a run can be repeated
 * @param tokenLife how long each token lives ({@code expires_in}); Deribit's default is
 * 900 s
 */
@ConfigurationProperties("sim")
public record SimulatorProperties(@DefaultValue("sample-client") String clientId,
		@DefaultValue("sample-secret") String clientSecret, @DefaultValue("50ms") Duration tickInterval,
		@DefaultValue("8") int tradesPerSecond, @DefaultValue("42") long seed,
		@DefaultValue("900s") Duration tokenLife) {

	@Override
	public String toString() {
		// Never print the secret, not even the simulator's.
		return "SimulatorProperties[clientId=" + this.clientId + ", tickInterval=" + this.tickInterval
				+ ", tradesPerSecond=" + this.tradesPerSecond + "]";
	}

}
