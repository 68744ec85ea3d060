package io.websockex.adapter.internal.client;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import reactor.core.publisher.MonoSink;

/**
 * Callers waiting for one outcome of the {@link ConnectionLoop} (connected, first attempt
 * over). Owned by the loop's serial executor: every method runs there. A set of waiters
 * exists only while someone waits ({@link ConnectionStatus} makes it for the first waiter
 * and drops it once settled), rather than as subscribers of a stream, so an idle client
 * keeps nothing for them.
 */
final class Waiters {

	private final List<MonoSink<Void>> waiting = new ArrayList<>(2);

	void add(MonoSink<Void> waiter) {
		this.waiting.add(waiter);
	}

	void remove(MonoSink<Void> waiter) {
		this.waiting.remove(waiter);
	}

	boolean isEmpty() {
		return this.waiting.isEmpty();
	}

	/** Complete every waiter. */
	void succeed() {
		this.waiting.forEach(MonoSink::success);
	}

	/**
	 * Fail every waiter.
	 * @param error the error for each
	 */
	void fail(Supplier<Throwable> error) {
		this.waiting.forEach((waiter) -> waiter.error(error.get()));
	}

}
