package io.websockex.adapter.internal.heartbeat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pure timing of probes and failures, in milliseconds as nanoTime stand-ins.
 */
class ProbeTimerTests {

	private static final long INTERVAL = 300;

	private static final long TIMEOUT = 100;

	@Test
	void probesOncePerIntervalWhileAnswered() {
		ProbeTimer timer = new ProbeTimer(INTERVAL, TIMEOUT, true, 0);
		assertThat(timer.nextDeadline(0)).isEqualTo(300);
		assertThat(timer.tick(299, 0)).isZero();
		assertThat(timer.tick(300, 0)).isEqualTo(ProbeTimer.SEND);
		assertThat(timer.nextDeadline(0)).isEqualTo(400);
		assertThat(timer.tick(400, 350)).isEqualTo(ProbeTimer.ANSWERED);
		assertThat(timer.pending()).isFalse();
		assertThat(timer.nextDeadline(350)).isEqualTo(600);
		assertThat(timer.tick(600, 350)).isEqualTo(ProbeTimer.SEND);
	}

	@Test
	void aFrameFromBeforeTheProbeDoesNotAnswerIt() {
		ProbeTimer timer = new ProbeTimer(INTERVAL, TIMEOUT, true, 0);
		timer.tick(300, 0);
		assertThat(timer.tick(400, 299)).isEqualTo(ProbeTimer.FAILED | ProbeTimer.SEND);
	}

	@Test
	void anUnansweredProbeFailsAfterTheTimeoutAndIsRetriedAtOnce() {
		ProbeTimer timer = new ProbeTimer(INTERVAL, TIMEOUT, true, 0);
		timer.tick(300, 0);
		assertThat(timer.tick(399, 0)).isZero();
		assertThat(timer.tick(400, 0)).isEqualTo(ProbeTimer.FAILED | ProbeTimer.SEND);
		assertThat(timer.nextDeadline(0)).isEqualTo(500);
		assertThat(timer.tick(500, 0)).isEqualTo(ProbeTimer.FAILED | ProbeTimer.SEND);
	}

	@Test
	void silenceIsDetectedWithinIntervalPlusTimeoutTimesFailures() {
		// Silent from the start: the failures come at interval + k * timeout.
		ProbeTimer timer = new ProbeTimer(INTERVAL, TIMEOUT, true, 0);
		long now = 0;
		int failures = 0;
		while (failures < 3) {
			now = timer.nextDeadline(0);
			if ((timer.tick(now, 0) & ProbeTimer.FAILED) != 0) {
				failures++;
			}
		}
		assertThat(now).isEqualTo(INTERVAL + 3 * TIMEOUT);
	}

	@Test
	void aTimeoutLongerThanTheIntervalKeepsProbingEveryIntervalAndTimesTheOldestProbe() {
		ProbeTimer timer = new ProbeTimer(100, 250, true, 0);
		assertThat(timer.tick(100, 0)).isEqualTo(ProbeTimer.SEND);
		assertThat(timer.tick(200, 0)).isEqualTo(ProbeTimer.SEND);
		assertThat(timer.tick(300, 0)).isEqualTo(ProbeTimer.SEND);
		assertThat(timer.nextDeadline(0)).isEqualTo(350);
		assertThat(timer.tick(350, 0)).isEqualTo(ProbeTimer.FAILED | ProbeTimer.SEND);
	}

	@Test
	void aProofOfLifeBetweenTwoProbesAnswersTheOlderOnly() {
		ProbeTimer timer = new ProbeTimer(100, 250, true, 0);
		timer.tick(100, 0);
		timer.tick(200, 0);
		// Alive at 150: answers the probe of 100, not the one of 200.
		assertThat(timer.tick(300, 150)).isEqualTo(ProbeTimer.ANSWERED | ProbeTimer.SEND);
		assertThat(timer.pending()).isTrue();
		assertThat(timer.nextDeadline(150)).isEqualTo(400);
		assertThat(timer.tick(450, 150)).isEqualTo(ProbeTimer.FAILED | ProbeTimer.SEND);
	}

	@Test
	void withoutCadenceTheServerHeartbeatIsDueEveryIntervalAndOnlyItsAbsenceTriggersAProbe() {
		ProbeTimer timer = new ProbeTimer(INTERVAL, TIMEOUT, false, 0);
		assertThat(timer.nextDeadline(0)).isEqualTo(400);
		// Heartbeats keep coming: nothing to do, the deadline follows them.
		assertThat(timer.tick(400, 280)).isZero();
		assertThat(timer.nextDeadline(280)).isEqualTo(680);
		// Overdue by the timeout: a failure, and a probe.
		assertThat(timer.tick(680, 280)).isEqualTo(ProbeTimer.FAILED | ProbeTimer.SEND);
		assertThat(timer.nextDeadline(280)).isEqualTo(780);
		// The probe is answered: alive again, the next heartbeat is due an interval
		// later.
		assertThat(timer.tick(780, 700)).isEqualTo(ProbeTimer.ANSWERED);
		assertThat(timer.nextDeadline(700)).isEqualTo(1100);
	}

	@Test
	void withoutCadenceAnUnansweredProbeFailsAgainAfterTheTimeout() {
		ProbeTimer timer = new ProbeTimer(INTERVAL, TIMEOUT, false, 0);
		assertThat(timer.tick(400, 0)).isEqualTo(ProbeTimer.FAILED | ProbeTimer.SEND);
		assertThat(timer.tick(499, 0)).isZero();
		assertThat(timer.tick(500, 0)).isEqualTo(ProbeTimer.FAILED | ProbeTimer.SEND);
	}

	@Test
	void worksAcrossTheNanoTimeOverflow() {
		long start = Long.MAX_VALUE - 150;
		ProbeTimer timer = new ProbeTimer(INTERVAL, TIMEOUT, true, start);
		assertThat(timer.tick(start + 299, start)).isZero();
		assertThat(timer.tick(start + 300, start)).isEqualTo(ProbeTimer.SEND);
		assertThat(timer.tick(start + 400, start)).isEqualTo(ProbeTimer.FAILED | ProbeTimer.SEND);
	}

	@Test
	void idleWatchdogExpiresAfterTheIdleTimeoutOfSilence() {
		IdleWatchdog watchdog = new IdleWatchdog(java.time.Duration.ofNanos(500));
		assertThat(watchdog.expired(499, 0)).isFalse();
		assertThat(watchdog.expired(500, 0)).isTrue();
		assertThat(watchdog.deadline(200)).isEqualTo(700);
		assertThat(watchdog.deadReason()).contains("heartbeat.idle-timeout");
	}

}
