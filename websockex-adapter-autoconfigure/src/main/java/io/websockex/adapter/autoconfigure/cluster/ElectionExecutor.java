package io.websockex.adapter.autoconfigure.cluster;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.springframework.core.task.AsyncTaskExecutor;

/**
 * Runs a leader initiator's selector on a client's own thread, and reports when the
 * selector ends on an error: the initiator's loop stops for good when releasing a lock
 * fails (the database gone), so whoever owns it must restart it.
 */
final class ElectionExecutor implements AsyncTaskExecutor {

	private final ExecutorService executor;

	private final Consumer<Throwable> onFailure;

	ElectionExecutor(ExecutorService executor, Consumer<Throwable> onFailure) {
		this.executor = executor;
		this.onFailure = onFailure;
	}

	@Override
	public void execute(Runnable task) {
		this.executor.execute(task);
	}

	@Override
	public <T> Future<T> submit(Callable<T> task) {
		return this.executor.submit(() -> {
			try {
				return task.call();
			}
			catch (Exception | Error ex) {
				this.onFailure.accept(ex);
				throw ex;
			}
		});
	}

	@Override
	public Future<?> submit(Runnable task) {
		return this.executor.submit(task);
	}

}
