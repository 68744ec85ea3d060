package io.websockex.adapter.internal.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Queue;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.concurrent.Queues;

/**
 * A hot stream with one producer (the connection's I/O thread) whose every subscriber has
 * its own buffer of at most {@code capacity} messages. While a subscriber keeps up, a
 * message goes straight to it; only one that falls behind has its messages queued, and
 * one that falls {@code capacity} behind gets what was queued and then the error of
 * {@link #overflowed()}, and leaves; the others go on.
 *
 * <p>
 * Reactor's {@code onBackpressureBuffer} queues and drains every message even when the
 * subscriber has demand, which measured as a fifth of the per-frame cost of a counting
 * subscriber; this is the same contract with that fast path. It is also its own multicast
 * (a sink in front of per-subscriber buffers kept a sink, an inner subscriber per
 * subscriber and the buffer's operator and callbacks for as long as a subscriber lived):
 * idle clients with a subscriber each are counted in thousands. For the same reason the
 * queue is made only when a message first has to wait, and grows in small links up to the
 * bound, rather than {@code inbound-buffer} slots up front (an 8,192-slot array, 32 KB,
 * per subscriber before).
 * <p>
 * Emission ({@link #emit}, {@link #complete}) has one caller at a time; subscribers come
 * and go on any thread.
 *
 * @param <T> the message type
 */
abstract class BufferedFanout<T> {

	private static final VarHandle SUBSCRIBERS;

	private static final BufferSubscriber<?>[] EMPTY = new BufferSubscriber<?>[0];

	// Swapped in by complete(): a subscriber that comes later is completed at once.
	private static final BufferSubscriber<?>[] TERMINATED = new BufferSubscriber<?>[0];

	static {
		try {
			SUBSCRIBERS = MethodHandles.lookup().findVarHandle(BufferedFanout.class, "subscribers", Object.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final int capacity;

	// EMPTY, TERMINATED, the one subscriber, or an array of two or more: most streams
	// have one subscriber, and an array of one would cost it 24 bytes more. Swapped by
	// CAS (copy-on-write): read on every message, changed on (un)subscribe.
	private volatile Object subscribers = EMPTY;

	BufferedFanout(int capacity) {
		this.capacity = capacity;
	}

	int capacity() {
		return this.capacity;
	}

	/**
	 * A subscriber fell {@code capacity} messages behind and is terminated: count it.
	 * @return the error it gets after what was queued
	 */
	abstract Throwable overflowed();

	/**
	 * The stream: each subscription gets its own buffer.
	 * @return a flux to subscribe to, as often as wanted
	 */
	Flux<T> flux() {
		return new Flux<>() {

			@Override
			public void subscribe(CoreSubscriber<? super T> actual) {
				add(new BufferSubscriber<>(actual, BufferedFanout.this));
			}

		};
	}

	int subscriberCount() {
		Object current = this.subscribers;
		return (current instanceof BufferSubscriber) ? 1 : ((BufferSubscriber<?>[]) current).length;
	}

	/**
	 * Hand a message to every subscriber.
	 * @param message the message
	 */
	@SuppressWarnings("unchecked")
	void emit(T message) {
		Object current = this.subscribers;
		if (current instanceof BufferSubscriber) {
			((BufferSubscriber<T>) current).onNext(message);
			return;
		}
		for (BufferSubscriber<T> subscriber : (BufferSubscriber<T>[]) current) {
			subscriber.onNext(message);
		}
	}

	/** No more messages: every subscriber, present and future, completes. */
	@SuppressWarnings("unchecked")
	void complete() {
		Object present = SUBSCRIBERS.getAndSet(this, TERMINATED);
		if (present instanceof BufferSubscriber) {
			((BufferSubscriber<T>) present).onComplete();
			return;
		}
		for (BufferSubscriber<T> subscriber : (BufferSubscriber<T>[]) present) {
			subscriber.onComplete();
		}
	}

	private void add(BufferSubscriber<T> subscriber) {
		subscriber.actual.onSubscribe(subscriber);
		Object current;
		Object next;
		do {
			current = this.subscribers;
			if (current == TERMINATED) {
				subscriber.onComplete();
				return;
			}
			if (subscriber.cancelled) {
				return;
			}
			if (current == EMPTY) {
				next = subscriber;
			}
			else if (current instanceof BufferSubscriber<?> one) {
				next = new BufferSubscriber<?>[] { one, subscriber };
			}
			else {
				BufferSubscriber<?>[] many = (BufferSubscriber<?>[]) current;
				BufferSubscriber<?>[] more = Arrays.copyOf(many, many.length + 1);
				more[many.length] = subscriber;
				next = more;
			}
		}
		while (!SUBSCRIBERS.compareAndSet(this, current, next));
		if (subscriber.cancelled) {
			// Cancelled while being added: its cancel() may have found nothing to remove.
			remove(subscriber);
		}
	}

	private void remove(BufferSubscriber<T> subscriber) {
		Object current;
		Object next;
		do {
			current = this.subscribers;
			if (current == subscriber) {
				next = EMPTY;
			}
			else if (current instanceof BufferSubscriber) {
				return;
			}
			else {
				BufferSubscriber<?>[] many = (BufferSubscriber<?>[]) current;
				int index = indexOf(many, subscriber);
				if (index < 0) {
					return;
				}
				if (many.length == 2) {
					next = many[1 - index];
				}
				else {
					BufferSubscriber<?>[] fewer = Arrays.copyOf(many, many.length - 1);
					System.arraycopy(many, index + 1, fewer, index, many.length - index - 1);
					next = fewer;
				}
			}
		}
		while (!SUBSCRIBERS.compareAndSet(this, current, next));
	}

	private static int indexOf(BufferSubscriber<?>[] subscribers, BufferSubscriber<?> subscriber) {
		for (int i = 0; i < subscribers.length; i++) {
			if (subscribers[i] == subscriber) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * One subscriber's buffer, between the producer and that subscriber.
	 */
	private static final class BufferSubscriber<T> implements Subscription {

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

		// Links of the queue, once made: small enough that a briefly slow subscriber
		// costs little, large enough that a long backlog is not mostly link overhead.
		private static final int LINK_SIZE = 64;

		final CoreSubscriber<? super T> actual;

		private final BufferedFanout<T> parent;

		// Single producer (onNext), single consumer (whoever holds WIP). Made by the
		// producer at the first message that has to wait; volatile so that a drain on
		// another thread (request) sees it.
		private volatile @Nullable Queue<T> queue;

		@SuppressWarnings("unused") // through WIP
		private volatile int wip;

		@SuppressWarnings("unused") // through REQUESTED
		private volatile long requested;

		private volatile boolean done;

		private @Nullable Throwable error;

		volatile boolean cancelled;

		BufferSubscriber(CoreSubscriber<? super T> actual, BufferedFanout<T> parent) {
			this.actual = actual;
			this.parent = parent;
		}

		void onNext(T message) {
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
			int capacity = this.parent.capacity;
			if (queue == null) {
				queue = Queues.<T>unbounded(Math.min(LINK_SIZE, capacity)).get();
				this.queue = queue;
			}
			// The bound is ours: the linked queue grows to whatever it is offered.
			if (queue.size() >= capacity || !queue.offer(message)) {
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
			this.parent.remove(this);
			// What was queued is still delivered, then the error.
			this.error = this.parent.overflowed();
			this.done = true;
			drain();
		}

		void onComplete() {
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
			this.parent.remove(this);
			if ((int) WIP.getAndAdd(this, 1) == 0) {
				clear();
			}
		}

		// Unbounded demand stays unbounded: a request(MAX) racing this must not become
		// MAX - n, which would turn off the fast path for good.
		private void produced(long n) {
			long current;
			do {
				current = (long) REQUESTED.getVolatile(this);
				if (current == Long.MAX_VALUE) {
					return;
				}
			}
			while (!REQUESTED.compareAndSet(this, current, current - n));
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
