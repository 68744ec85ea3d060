package io.websockex.adapter.autoconfigure.cluster;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Leader election of the clients with {@code cluster: single-active}, shared by all of
 * them.
 *
 * <pre>{@code
 * websockex:
 *   cluster:
 *     lock-ttl: 10s            # the LockRegistry's time-to-live
 *     renewal-interval: 1s     # at most a third of lock-ttl
 * }</pre>
 */
@ConfigurationProperties("websockex.cluster")
public class WebsockexClusterProperties {

	/**
	 * Time-to-live of a client's lock: how long after its last renewal a lost leader's
	 * lock expires for the other instances. Must match the LockRegistry's own (the
	 * JdbcLockRegistry made by websockex uses this value; RedisLockRegistry's expireAfter
	 * defaults to 60s).
	 */
	private Duration lockTtl = Duration.ofSeconds(10);

	/**
	 * How often the leader renews its lock and a standby tries to take it. At most a
	 * third of lock-ttl: a leader that has not renewed for half of lock-ttl disconnects,
	 * before the lock can expire for the others.
	 */
	private Duration renewalInterval = Duration.ofSeconds(1);

	public Duration getLockTtl() {
		return this.lockTtl;
	}

	public void setLockTtl(Duration lockTtl) {
		this.lockTtl = lockTtl;
	}

	public Duration getRenewalInterval() {
		return this.renewalInterval;
	}

	public void setRenewalInterval(Duration renewalInterval) {
		this.renewalInterval = renewalInterval;
	}

	/**
	 * The validated timings.
	 * @return the timings
	 * @throws InvalidConfigurationPropertyValueException naming the property to fix
	 */
	ClusterTimings timings() {
		if (this.lockTtl.isNegative() || this.lockTtl.isZero()) {
			throw new InvalidConfigurationPropertyValueException("websockex.cluster.lock-ttl", this.lockTtl,
					"must be positive");
		}
		if (this.renewalInterval.isNegative() || this.renewalInterval.isZero()) {
			throw new InvalidConfigurationPropertyValueException("websockex.cluster.renewal-interval",
					this.renewalInterval, "must be positive");
		}
		if (this.renewalInterval.multipliedBy(3).compareTo(this.lockTtl) > 0) {
			throw new InvalidConfigurationPropertyValueException("websockex.cluster.renewal-interval",
					this.renewalInterval,
					"must be at most a third of websockex.cluster.lock-ttl (" + this.lockTtl + "), so that a leader "
							+ "that cannot renew its lock disconnects before the lock expires for the other instances; "
							+ "lower renewal-interval or raise lock-ttl");
		}
		return new ClusterTimings(this.lockTtl, this.renewalInterval);
	}

}
