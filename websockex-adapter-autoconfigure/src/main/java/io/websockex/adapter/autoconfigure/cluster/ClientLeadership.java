package io.websockex.adapter.autoconfigure.cluster;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

import io.websockex.adapter.ActivationGate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.Context;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * One client's part in leader election: a {@link LockRegistryLeaderInitiator} with this
 * as its candidate (role {@code websockex:<name>}), over a lock that guards the rule
 * "never two at once" on this side:
 * <ul>
 * <li>the client is disconnected before the lock is released (the initiator releases
 * before it revokes, so waiting for the revoke would be too late);</li>
 * <li>a renewal that fails, or that another instance refuses, disconnects at once;</li>
 * <li>a renewal that hangs (a lost database, a long pause) disconnects once half the
 * time-to-live has passed since the last confirmed one, while the lock still holds for
 * the others;</li>
 * <li>after a yield this instance stays out of the running for a while.</li>
 * </ul>
 * The fields under "guarded by this" change from the initiator's thread, a timer and the
 * operator's yield; decisions are made under the monitor, and the client is started or
 * disconnected outside it.
 */
final class ClientLeadership implements Candidate, ActivationGate.Registration {

	private static final Logger logger = LoggerFactory.getLogger(ClientLeadership.class);

	private final String client;

	private final String role;

	private final String id = UUID.randomUUID().toString();

	private final ActivationGate.Member member;

	private final ClusterTimings timings;

	private final Duration deactivateWait;

	private final ActivationListener listener;

	private final Lock lock;

	private final ExecutorService executor;

	private final LockRegistryLeaderInitiator initiator;

	private final Scheduler timer = Schedulers.parallel();

	// Guarded by this.
	private boolean granted;

	private boolean memberActive;

	private boolean left;

	private long confirmedAt;

	private long holdOffUntil;

	private @Nullable Context context;

	private @Nullable Disposable expiry;

	ClientLeadership(String client, ActivationGate.Member member, LockRegistry<?> registry, ClusterTimings timings,
			ActivationListener listener) {
		this.client = client;
		this.role = "websockex:" + client;
		this.member = member;
		this.timings = timings;
		// The client's own shutdown-timeout bounds its disconnect; this only guards the
		// election's thread against waiting forever.
		this.deactivateWait = timings.giveUpAfter();
		this.listener = listener;
		this.lock = new GuardedLock(registry.obtain(this.role));
		this.executor = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "websockex-leader-" + client);
			thread.setDaemon(true);
			return thread;
		});
		LockRegistry<Lock> guarded = (key) -> this.lock;
		this.initiator = new LockRegistryLeaderInitiator(guarded, this);
		this.initiator.setHeartBeatMillis(timings.renewalInterval().toMillis());
		this.initiator.setBusyWaitMillis(timings.renewalInterval().toMillis());
		this.initiator.setTaskExecutor(new ElectionExecutor(this.executor, this::restartAfterFailure));
		this.initiator.setAutoStartup(false);
	}

	void start() {
		this.initiator.start();
	}

	// ---- Candidate: what the initiator says ----

	@Override
	public String getRole() {
		return this.role;
	}

	@Override
	public String getId() {
		return this.id;
	}

	@Override
	public void onGranted(Context context) {
		synchronized (this) {
			this.granted = true;
			this.context = context;
		}
		logger.info("websockex client '{}': this instance holds the leadership ({})", this.client, this.role);
		activateIfConfirmed();
	}

	@Override
	public void onRevoked(Context context) {
		synchronized (this) {
			this.granted = false;
			this.context = null;
		}
		deactivateAndWait("its leadership was revoked");
	}

	// ---- Registration: what the client and the operator ask ----

	@Override
	public void leave() {
		synchronized (this) {
			this.left = true;
			cancelExpiry();
		}
		// Releases the lock on the initiator's thread, after the client (already
		// disconnected) is marked inactive.
		this.initiator.stop();
		this.executor.shutdown();
	}

	@Override
	public void yieldActivation() {
		Context current;
		synchronized (this) {
			current = this.context;
			if (!this.granted || current == null) {
				return;
			}
			this.holdOffUntil = System.nanoTime() + this.timings.yieldHoldOff().toNanos();
		}
		logger.info("websockex client '{}': yielding leadership; this instance stays a standby for at least {}",
				this.client, this.timings.yieldHoldOff());
		// Interrupts the initiator, which releases the lock through unlock() below:
		// disconnected first.
		current.yield();
	}

	// ---- decisions ----

	private void activateIfConfirmed() {
		synchronized (this) {
			if (!this.granted || this.memberActive || this.left || !confirmed()) {
				return;
			}
			this.memberActive = true;
		}
		this.member.activate();
		this.listener.activated(this.client);
	}

	// Owned by the caller: whether the member was active and is now marked inactive.
	private synchronized boolean markInactive() {
		if (!this.memberActive) {
			return false;
		}
		this.memberActive = false;
		return true;
	}

	/**
	 * On the initiator's thread: it may block, and must, so the lock outlives the
	 * session.
	 */
	private void deactivateAndWait(String why) {
		if (!markInactive()) {
			return;
		}
		logger.warn("websockex client '{}': {}; disconnecting", this.client, why);
		boolean interrupted = Thread.interrupted();
		try {
			this.member.deactivate().block(this.deactivateWait);
		}
		catch (RuntimeException ex) {
			logger.warn("websockex client '{}' did not disconnect within {}: {}", this.client, this.deactivateWait,
					ex.toString());
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
		this.listener.deactivated(this.client, why);
	}

	/** On a timer: must not block. */
	private void deactivateSoon(String why) {
		if (!markInactive()) {
			return;
		}
		logger.warn("websockex client '{}': {}; disconnecting", this.client, why);
		this.member.deactivate()
			.doFinally((signal) -> this.listener.deactivated(this.client, why))
			.subscribe(null, (error) -> logger.warn("websockex client '{}' did not disconnect cleanly: {}", this.client,
					error.toString()));
	}

	// Guarded by this.
	private boolean confirmed() {
		return System.nanoTime() - this.confirmedAt < this.timings.giveUpAfter().toNanos();
	}

	private void renewed(long startedAt) {
		synchronized (this) {
			// From when the attempt started: the store's expiry counts from a moment
			// between start and end, so this errs on the early side.
			this.confirmedAt = startedAt;
			cancelExpiry();
			if (this.left) {
				return;
			}
			long delay = this.timings.giveUpAfter().toNanos() - (System.nanoTime() - startedAt);
			this.expiry = this.timer.schedule(this::checkExpiry, Math.max(0, delay), TimeUnit.NANOSECONDS);
		}
		// A leader that had given up while its renewal hung and now renewed again holds
		// the lock afresh: it may connect again.
		activateIfConfirmed();
	}

	private void checkExpiry() {
		synchronized (this) {
			if (!this.memberActive || confirmed()) {
				return;
			}
		}
		deactivateSoon("its lock was not renewed for " + this.timings.giveUpAfter()
				+ " (half of websockex.cluster.lock-ttl): the lock store is unreachable or this process was paused");
	}

	// Guarded by this.
	private void cancelExpiry() {
		Disposable current = this.expiry;
		if (current != null) {
			current.dispose();
			this.expiry = null;
		}
	}

	private synchronized long holdOffRemaining() {
		return this.holdOffUntil - System.nanoTime();
	}

	private void restartAfterFailure(Throwable failure) {
		synchronized (this) {
			if (this.left) {
				return;
			}
		}
		logger.warn("websockex client '{}': leader election stopped on an error ({}); restarting it in {}", this.client,
				failure.toString(), this.timings.renewalInterval());
		this.timer.schedule(() -> {
			synchronized (this) {
				if (this.left) {
					return;
				}
			}
			this.initiator.stop();
			this.initiator.start();
		}, this.timings.renewalInterval().toNanos(), TimeUnit.NANOSECONDS);
	}

	/**
	 * The registry's lock, as the initiator uses it: {@code tryLock} to acquire and to
	 * renew (reentrant), {@code unlock} after each renewal and once to release. Only the
	 * initiator's thread calls it.
	 */
	private final class GuardedLock implements Lock {

		private final Lock delegate;

		// How many successful tryLock calls are not yet unlocked: 1 while leading, 2
		// during a renewal.
		private volatile int holds;

		GuardedLock(Lock delegate) {
			this.delegate = delegate;
		}

		@Override
		public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
			long startedAt = System.nanoTime();
			int held = this.holds;
			if (held == 0) {
				long holdOff = holdOffRemaining();
				if (holdOff > 0) {
					TimeUnit.NANOSECONDS.sleep(Math.min(holdOff, unit.toNanos(time)));
					return false;
				}
			}
			boolean acquired;
			try {
				acquired = this.delegate.tryLock(time, unit);
			}
			catch (RuntimeException ex) {
				if (held > 0) {
					deactivateAndWait("its lock could not be renewed (" + ex + ")");
				}
				// A store that fails at once must not make the initiator's loop spin.
				TimeUnit.NANOSECONDS.sleep(ClientLeadership.this.timings.renewalInterval().toNanos());
				throw ex;
			}
			if (acquired) {
				this.holds = held + 1;
				renewed(startedAt);
			}
			else if (held > 0) {
				// The initiator revokes without unlocking here.
				this.holds = 0;
				deactivateAndWait("another instance holds its lock");
			}
			return acquired;
		}

		@Override
		public void unlock() {
			int held = this.holds;
			if (held > 1) {
				this.holds = held - 1;
				this.delegate.unlock();
				return;
			}
			try {
				deactivateAndWait("it is giving up its leadership");
				this.delegate.unlock();
			}
			finally {
				this.holds = 0;
			}
		}

		@Override
		public void lock() {
			throw new UnsupportedOperationException("leader election uses tryLock");
		}

		@Override
		public void lockInterruptibly() {
			throw new UnsupportedOperationException("leader election uses tryLock");
		}

		@Override
		public boolean tryLock() {
			throw new UnsupportedOperationException("leader election uses tryLock with a timeout");
		}

		@Override
		public Condition newCondition() {
			throw new UnsupportedOperationException("conditions are not supported");
		}

	}

	/** What the gate tells the application when this instance's role changes. */
	interface ActivationListener {

		void activated(String client);

		void deactivated(String client, String reason);

	}

}
