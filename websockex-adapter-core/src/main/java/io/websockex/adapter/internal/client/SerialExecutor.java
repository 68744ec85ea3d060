package io.websockex.adapter.internal.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on whichever thread submitted while no
 * other task runs (a drain loop). This is how one connection has one owner: every state
 * transition is a task here, so transitions never interleave, without locks and without a
 * thread hop. Tasks must not block: they may run on a Netty event loop.
 */
final class SerialExecutor {

	private static final Logger logger = LoggerFactory.getLogger(SerialExecutor.class);

	private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	private static final VarHandle PENDING;

	static {
		try {
			PENDING = MethodHandles.lookup().findVarHandle(SerialExecutor.class, "pending", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	// Through PENDING rather than an AtomicInteger: there is one executor per client.
	@SuppressWarnings("unused")
	private volatile int pending;

	void execute(Runnable task) {
		this.tasks.add(task);
		if ((int) PENDING.getAndAdd(this, 1) != 0) {
			return;
		}
		do {
			Runnable next = this.tasks.poll();
			try {
				next.run();
			}
			catch (RuntimeException ex) {
				// A failed transition must not wedge the owner: later tasks still run.
				logger.error("websockex state transition failed", ex);
			}
		}
		while ((int) PENDING.getAndAdd(this, -1) - 1 != 0);
	}

}
