package io.websockex.adapter.autoconfigure.cluster;

import java.time.Duration;

/**
 * The timings of leader election, derived from the validated properties.
 *
 * @param lockTtl the lock's time-to-live
 * @param renewalInterval how often the leader renews and a standby tries
 */
record ClusterTimings(Duration lockTtl, Duration renewalInterval) {

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
