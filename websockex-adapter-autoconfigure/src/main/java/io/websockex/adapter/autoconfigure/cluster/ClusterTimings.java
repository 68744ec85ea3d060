package io.websockex.adapter.autoconfigure.cluster;

import java.time.Duration;

import io.websockex.adapter.autoconfigure.WebsockexProperties;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The timings of leader election, validated from {@code websockex.cluster.*}.
 *
 * @param lockTtl the lock's time-to-live
 * @param renewalInterval how often the leader renews and a standby tries
 */
record ClusterTimings(Duration lockTtl, Duration renewalInterval) {

	/**
	 * Validate the properties.
	 * @param cluster {@code websockex.cluster}
	 * @return the timings
	 * @throws InvalidConfigurationPropertyValueException naming the property to fix
	 */
	static ClusterTimings of(WebsockexProperties.Cluster cluster) {
		Duration lockTtl = cluster.getLockTtl();
		Duration renewal = cluster.getRenewalInterval();
		if (lockTtl.isNegative() || lockTtl.isZero()) {
			throw new InvalidConfigurationPropertyValueException("websockex.cluster.lock-ttl", lockTtl,
					"must be positive");
		}
		if (renewal.isNegative() || renewal.isZero()) {
			throw new InvalidConfigurationPropertyValueException("websockex.cluster.renewal-interval", renewal,
					"must be positive");
		}
		if (renewal.multipliedBy(3).compareTo(lockTtl) > 0) {
			throw new InvalidConfigurationPropertyValueException("websockex.cluster.renewal-interval", renewal,
					"must be at most a third of websockex.cluster.lock-ttl (" + lockTtl + "), so that a leader that "
							+ "cannot renew its lock disconnects before the lock expires for the other instances; "
							+ "lower renewal-interval or raise lock-ttl");
		}
		return new ClusterTimings(lockTtl, renewal);
	}

	/**
	 * How long a leader may go without a confirmed renewal before it disconnects on its
	 * own: half the time-to-live leaves the other half for closing the session before the
	 * lock can expire for another instance.
	 * @return the limit
	 */
	Duration giveUpAfter() {
		return this.lockTtl.dividedBy(2);
	}

	/**
	 * How long an instance that yielded stays out of the running, so that another one
	 * takes over rather than itself again.
	 * @return the hold-off
	 */
	Duration yieldHoldOff() {
		return this.lockTtl;
	}

}
