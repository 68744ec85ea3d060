package io.websockex.adapter.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
 * <p>
 * Every client has one, idle for most of its life, so an idle executor holds no queue:
 * submitted tasks are pushed on a lock-free stack of their own links, and the draining
 * thread takes the whole stack at once and runs it oldest first.
 */
public final class SerialExecutor {

	private static final Logger logger = LoggerFactory.getLogger(SerialExecutor.class);

	private static final VarHandle WIP;

	private static final VarHandle INBOX;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			WIP = lookup.findVarHandle(SerialExecutor.class, "wip", int.class);
			INBOX = lookup.findVarHandle(SerialExecutor.class, "inbox", Task.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	// The owner's description is put together only for the log line of a failed task:
	// one string per client kept for that alone would outweigh the executor.
	private final String owner;

	private final @Nullable String task;

	private final @Nullable Runnable afterDrain;

	// Submitted tasks not yet taken, newest first; null when there are none.
	@SuppressWarnings("unused") // through INBOX
	private volatile @Nullable Task inbox;

	// Tasks submitted and not yet accounted for by the drain; the thread that moves it
	// from 0 drains. Through WIP rather than an AtomicInteger: one object less per
	// client.
	@SuppressWarnings("unused")
	private volatile int wip;

	/**
	 * Create an executor.
	 * @param owner names the owner in the log line of a task that throws
	 */
	public SerialExecutor(String owner) {
		this(owner, null, null);
	}

	/**
	 * Create an executor owned by one client.
	 * @param client the client's name
	 * @param task what the executor runs, e.g. "state transition": a task that throws is
	 * logged as "websockex client 'name': state transition"
	 */
	public SerialExecutor(String client, String task) {
		this(client, task, null);
	}

	/**
	 * Create an executor owned by one client that runs a step each time it has run every
	 * queued task, while it still owns the state (a rate limiter serves its queue there
	 * once per batch).
	 * @param client the client's name
	 * @param task what the executor runs, for the log line of a task that throws
	 * @param afterDrain runs as part of the loop after each batch
	 */
	public SerialExecutor(String client, @Nullable String task, @Nullable Runnable afterDrain) {
		this.owner = client;
		this.task = task;
		this.afterDrain = afterDrain;
	}

	/**
	 * Run a task now if no other runs, else after the ones queued before it.
	 * @param task the task; an exception it throws is logged and the loop goes on
	 */
	public void execute(Runnable task) {
		Task pushed = new Task(task);
		Task top;
		do {
			top = (Task) INBOX.getVolatile(this);
			pushed.next = top;
		}
		while (!INBOX.compareAndSet(this, top, pushed));
		if ((int) WIP.getAndAdd(this, 1) != 0) {
			return;
		}
		int missed = 1;
		do {
			// Whatever was pushed before the count below was raised is in this batch or
			// in the next one: the push comes before the increment.
			Task taken = (Task) INBOX.getAndSet(this, null);
			runOldestFirst(taken);
			if (this.afterDrain != null) {
				runSafely(this.afterDrain);
			}
			missed = (int) WIP.getAndAdd(this, -missed) - missed;
		}
		while (missed != 0);
	}

	private void runOldestFirst(@Nullable Task newestFirst) {
		Task oldestFirst = null;
		Task current = newestFirst;
		while (current != null) {
			Task next = current.next;
			current.next = oldestFirst;
			oldestFirst = current;
			current = next;
		}
		while (oldestFirst != null) {
			runSafely(oldestFirst.task);
			oldestFirst = oldestFirst.next;
		}
	}

	// A failed task must not wedge the owner: later tasks still run.
	private void runSafely(Runnable task) {
		try {
			task.run();
		}
		catch (Throwable ex) {
			Exceptions.throwIfJvmFatal(ex);
			logger.error("{}: a task failed", describeOwner(), ex);
		}
	}

	private String describeOwner() {
		return (this.task != null) ? "websockex client '" + this.owner + "': " + this.task : this.owner;
	}

	/** One submitted task, a link of the stack. */
	private static final class Task {

		final Runnable task;

		@Nullable Task next;

		Task(Runnable task) {
			this.task = task;
		}

	}

}
