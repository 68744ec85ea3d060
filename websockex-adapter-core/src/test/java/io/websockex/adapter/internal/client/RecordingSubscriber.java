package io.websockex.adapter.internal.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

/**
 * A subscriber that asks for only a given number of values on subscription, so that a
 * test can play a slow or stalled consumer, and records what it received and the error it
 * ended with. {@link #requestUnbounded()} lets it catch up; {@link #cancel()} leaves.
 *
 * @param <T> the values' type
 */
final class RecordingSubscriber<T> extends BaseSubscriber<T> {

	private final long initialRequest;

	private final List<T> values = new CopyOnWriteArrayList<>();

	private volatile @Nullable Throwable error;

	private volatile @Nullable Subscription received;

	private RecordingSubscriber(long initialRequest) {
		this.initialRequest = initialRequest;
	}

	/** A subscriber that requests {@code n} values, then nothing until told. */
	static <T> RecordingSubscriber<T> requesting(long n) {
		return new RecordingSubscriber<>(n);
	}

	List<T> values() {
		return this.values;
	}

	@Nullable Throwable error() {
		return this.error;
	}

	/**
	 * The subscription as the publisher handed it over, for a test that must call it
	 * directly (after {@link #cancel()}, this subscriber's own {@code request} goes
	 * nowhere).
	 */
	Subscription subscription() {
		Subscription subscription = this.received;
		if (subscription == null) {
			throw new IllegalStateException("not subscribed yet");
		}
		return subscription;
	}

	@Override
	protected void hookOnSubscribe(Subscription subscription) {
		this.received = subscription;
		subscription.request(this.initialRequest);
	}

	@Override
	protected void hookOnNext(T value) {
		this.values.add(value);
	}

	@Override
	protected void hookOnError(Throwable throwable) {
		this.error = throwable;
	}

}
