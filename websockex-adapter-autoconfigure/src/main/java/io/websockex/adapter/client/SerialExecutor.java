package io.websockex.adapter.client;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

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

	private final AtomicInteger pending = new AtomicInteger();

	void execute(Runnable task) {
		this.tasks.add(task);
		if (this.pending.getAndIncrement() != 0) {
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
		while (this.pending.decrementAndGet() != 0);
	}

}
