package io.websockex.adapter.internal.client;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.websockex.adapter.internal.SerialExecutor;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Callers waiting for one outcome of the {@link ConnectionLoop} (connected, first attempt
 * over, stopped). Owned by the loop's {@link SerialExecutor}: every method runs there.
 * Waiters live only until settled, rather than as subscribers of a stream, so an idle
 * client keeps nothing for them.
 */
final class Waiters {

	private final SerialExecutor owner;

	// Made for the first waiter: most clients never have one.
	private @Nullable List<MonoSink<Void>> waiting;

	Waiters(SerialExecutor owner) {
		this.owner = owner;
	}

	/**
	 * A mono that settles now if {@code now} says so, else when the loop settles it.
	 * @param settleNow runs on the owner: settles the waiter and returns {@code true}, or
	 * returns {@code false} to make it wait
	 * @return the mono
	 */
	Mono<Void> await(SettleNow settleNow) {
		return Mono.create((waiter) -> this.owner.execute(() -> {
			if (settleNow.settled(waiter)) {
				return;
			}
			List<MonoSink<Void>> list = this.waiting;
			if (list == null) {
				list = new ArrayList<>(2);
				this.waiting = list;
			}
			list.add(waiter);
			waiter.onCancel(() -> this.owner.execute(() -> {
				List<MonoSink<Void>> current = this.waiting;
				if (current != null && current.remove(waiter) && current.isEmpty()) {
					this.waiting = null;
				}
			}));
		}));
	}

	/** Complete every waiter. */
	void succeed() {
		List<MonoSink<Void>> list = take();
		if (list != null) {
			list.forEach(MonoSink::success);
		}
	}

	/**
	 * Fail every waiter.
	 * @param error the error for each
	 */
	void fail(Supplier<Throwable> error) {
		List<MonoSink<Void>> list = take();
		if (list != null) {
			list.forEach((waiter) -> waiter.error(error.get()));
		}
	}

	boolean isEmpty() {
		return this.waiting == null;
	}

	private @Nullable List<MonoSink<Void>> take() {
		List<MonoSink<Void>> list = this.waiting;
		this.waiting = null;
		return list;
	}

	/** Settles a new waiter at once, or not. */
	@FunctionalInterface
	interface SettleNow {

		boolean settled(MonoSink<Void> waiter);

	}

}
