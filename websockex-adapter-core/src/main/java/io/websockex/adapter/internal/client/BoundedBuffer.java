package io.websockex.adapter.internal.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;
import reactor.util.context.Context;

/**
 * A per-subscriber buffer of at most {@code capacity} messages between one producer (the
 * connection's I/O thread) and one subscriber. While the subscriber keeps up, a message
 * goes straight to it; only one that falls behind has its messages queued, and one that
 * falls {@code capacity} behind gets what was queued and then the overflow error.
 *
 * <p>
 * Reactor's {@code onBackpressureBuffer} queues and drains every message even when the
 * subscriber has demand, which measured as a fifth of the per-frame cost of a counting
 * subscriber; this is the same contract with that fast path. The queue itself is made
 * only when a message first has to wait, and grows in small links up to the bound: a
 * subscriber that keeps up (most of them, and every idle one) never pays for a queue of
 * {@code inbound-buffer} slots (an 8,192-slot array, 32 KB, per subscriber before).
 *
 * @param <T> the message type
 */
final class BoundedBuffer<T> extends Flux<T> {

	private final Flux<T> source;

	private final int capacity;

	private final Runnable onOverflow;

	private final Supplier<Throwable> overflowError;

	BoundedBuffer(Flux<T> source, int capacity, Runnable onOverflow, Supplier<Throwable> overflowError) {
		this.source = source;
		this.capacity = capacity;
		this.onOverflow = onOverflow;
		this.overflowError = overflowError;
	}

	@Override
	public void subscribe(CoreSubscriber<? super T> actual) {
		this.source.subscribe(new BufferSubscriber<>(actual, this));
	}

	private static final class BufferSubscriber<T> implements CoreSubscriber<T>, Subscription {

		private static final VarHandle WIP;

		private static final VarHandle REQUESTED;

		static {
			try {
				MethodHandles.Lookup lookup = MethodHandles.lookup();
				WIP = lookup.findVarHandle(BufferSubscriber.class, "wip", int.class);
				REQUESTED = lookup.findVarHandle(BufferSubscriber.class, "requested", long.class);
			}
			catch (ReflectiveOperationException ex) {
				throw new ExceptionInInitializerError(ex);
			}
		}

		private final CoreSubscriber<? super T> actual;

		private final BoundedBuffer<T> parent;

		// Links of the queue, once made: small enough that a briefly slow subscriber
		// costs little, large enough that a long backlog is not mostly link overhead.
		private static final int LINK_SIZE = 64;

		// Single producer (onNext), single consumer (whoever holds WIP). Made by the
		// producer at the first message that has to wait; volatile so that a drain on
		// another thread (request) sees it.
		private volatile @Nullable Queue<T> queue;

		@SuppressWarnings("NullAway.Init")
		private Subscription upstream;

		@SuppressWarnings("unused") // through WIP
		private volatile int wip;

		@SuppressWarnings("unused") // through REQUESTED
		private volatile long requested;

		private volatile boolean done;

		private @Nullable Throwable error;

		private volatile boolean cancelled;

		BufferSubscriber(CoreSubscriber<? super T> actual, BoundedBuffer<T> parent) {
			this.actual = actual;
			this.parent = parent;
		}

		@Override
		public Context currentContext() {
			return this.actual.currentContext();
		}

		@Override
		public void onSubscribe(Subscription s) {
			if (Operators.validate(this.upstream, s)) {
				this.upstream = s;
				this.actual.onSubscribe(this);
				s.request(Long.MAX_VALUE);
			}
		}

		@Override
		public void onNext(T message) {
			if (this.done) {
				return;
			}
			// The common case, a subscriber with unbounded demand that keeps up, goes
			// straight through without the guard's two atomic updates. In this order:
			// only this producer queues, so an empty queue stays empty behind the check,
			// and a drain that is not running now finds nothing to deliver if it starts.
			if (isEmpty(this.queue) && (long) REQUESTED.getVolatile(this) == Long.MAX_VALUE
					&& (int) WIP.getVolatile(this) == 0) {
				this.actual.onNext(message);
				return;
			}
			if ((int) WIP.get(this) == 0 && WIP.compareAndSet(this, 0, 1)) {
				// Nobody drains: deliver directly if there is demand and nothing waits.
				if ((long) REQUESTED.getVolatile(this) != 0 && isEmpty(this.queue)) {
					this.actual.onNext(message);
					produced(1);
				}
				else {
					// On overflow this still drains below: the queued messages, then the
					// error.
					enqueue(message);
				}
				if ((int) WIP.getAndAdd(this, -1) == 1) {
					return;
				}
			}
			else {
				if (!enqueue(message)) {
					return;
				}
				if ((int) WIP.getAndAdd(this, 1) != 0) {
					return;
				}
			}
			drainLoop();
		}

		private boolean enqueue(T message) {
			Queue<T> queue = this.queue;
			if (queue == null) {
				queue = Queues.<T>unbounded(Math.min(LINK_SIZE, this.parent.capacity)).get();
				this.queue = queue;
			}
			// The bound is ours: the linked queue grows to whatever it is offered.
			if (queue.size() >= this.parent.capacity || !queue.offer(message)) {
				overflow();
				return false;
			}
			return true;
		}

		private static boolean isEmpty(@Nullable Queue<?> queue) {
			return queue == null || queue.isEmpty();
		}

		private void clear() {
			Queue<T> queue = this.queue;
			if (queue != null) {
				queue.clear();
			}
		}

		private void overflow() {
			this.upstream.cancel();
			this.parent.onOverflow.run();
			// What was queued is still delivered, then the error.
			this.error = this.parent.overflowError.get();
			this.done = true;
			drain();
		}

		@Override
		public void onError(Throwable throwable) {
			if (this.done) {
				Operators.onErrorDropped(throwable, currentContext());
				return;
			}
			this.error = throwable;
			this.done = true;
			drain();
		}

		@Override
		public void onComplete() {
			if (this.done) {
				return;
			}
			this.done = true;
			drain();
		}

		@Override
		public void request(long n) {
			if (Operators.validate(n)) {
				long current;
				long next;
				do {
					current = (long) REQUESTED.getVolatile(this);
					next = Operators.addCap(current, n);
				}
				while (current != Long.MAX_VALUE && !REQUESTED.compareAndSet(this, current, next));
				drain();
			}
		}

		@Override
		public void cancel() {
			if (this.cancelled) {
				return;
			}
			this.cancelled = true;
			this.upstream.cancel();
			if ((int) WIP.getAndAdd(this, 1) == 0) {
				clear();
			}
		}

		private void produced(long n) {
			long current = (long) REQUESTED.getVolatile(this);
			if (current != Long.MAX_VALUE) {
				REQUESTED.getAndAdd(this, -n);
			}
		}

		private void drain() {
			if ((int) WIP.getAndAdd(this, 1) != 0) {
				return;
			}
			drainLoop();
		}

		private void drainLoop() {
			int missed = 1;
			while (true) {
				long demand = (long) REQUESTED.getVolatile(this);
				long emitted = 0;
				while (emitted != demand) {
					boolean finished = this.done;
					Queue<T> queue = this.queue;
					T message = (queue != null) ? queue.poll() : null;
					if (checkTerminated(finished, message == null)) {
						return;
					}
					if (message == null) {
						break;
					}
					this.actual.onNext(message);
					emitted++;
				}
				if (emitted == demand && checkTerminated(this.done, isEmpty(this.queue))) {
					return;
				}
				if (emitted != 0) {
					produced(emitted);
				}
				missed = (int) WIP.getAndAdd(this, -missed) - missed;
				if (missed == 0) {
					return;
				}
			}
		}

		private boolean checkTerminated(boolean finished, boolean empty) {
			if (this.cancelled) {
				clear();
				return true;
			}
			if (finished && empty) {
				Throwable failure = this.error;
				if (failure != null) {
					this.actual.onError(failure);
				}
				else {
					this.actual.onComplete();
				}
				return true;
			}
			return false;
		}

	}

}
