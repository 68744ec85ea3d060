package io.websockex.adapter.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one drain loop of websockex: runs tasks one at a time, in submission order, on
 * whichever thread submitted while no other task runs. This is how one piece of state has
 * one owner (a connection's transitions, a rate limiter's bucket and queue): every change
 * is a task here, so changes never interleave, without locks and without a thread hop.
 * Tasks must not block: they may run on a Netty event loop. Internal to websockex.
 */
public final class SerialExecutor {

	private static final Logger logger = LoggerFactory.getLogger(SerialExecutor.class);

	private static final VarHandle WIP;

	static {
		try {
			WIP = MethodHandles.lookup().findVarHandle(SerialExecutor.class, "wip", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private final String owner;

	private final @Nullable Runnable afterDrain;

	// Tasks submitted and not yet run; the thread that moves it from 0 drains. Through
	// WIP rather than an AtomicInteger: one object less per client.
	@SuppressWarnings("unused")
	private volatile int wip;

	/**
	 * Create an executor.
	 * @param owner names the owner in the log line of a task that throws
	 */
	public SerialExecutor(String owner) {
		this(owner, null);
	}

	/**
	 * Create an executor that runs a step each time it has run every queued task, while
	 * it still owns the state (a rate limiter serves its queue there once per batch).
	 * @param owner names the owner in the log line of a task that throws
	 * @param afterDrain runs as part of the loop after each batch
	 */
	public SerialExecutor(String owner, @Nullable Runnable afterDrain) {
		this.owner = owner;
		this.afterDrain = afterDrain;
	}

	/**
	 * Run a task now if no other runs, else after the ones queued before it.
	 * @param task the task; an exception it throws is logged and the loop goes on
	 */
	public void execute(Runnable task) {
		this.tasks.add(task);
		if ((int) WIP.getAndAdd(this, 1) != 0) {
			return;
		}
		int missed = 1;
		do {
			Runnable next;
			while ((next = this.tasks.poll()) != null) {
				runSafely(next);
			}
			if (this.afterDrain != null) {
				runSafely(this.afterDrain);
			}
			missed = (int) WIP.getAndAdd(this, -missed) - missed;
		}
		while (missed != 0);
	}

	// A failed task must not wedge the owner: later tasks still run.
	private void runSafely(Runnable task) {
		try {
			task.run();
		}
		catch (Throwable ex) {
			Exceptions.throwIfJvmFatal(ex);
			logger.error("{}: a task failed", this.owner, ex);
		}
	}

}
