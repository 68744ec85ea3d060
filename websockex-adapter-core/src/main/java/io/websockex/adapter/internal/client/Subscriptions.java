package io.websockex.adapter.internal.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

import io.websockex.adapter.Config;
import io.websockex.adapter.JsonRpcErrorException;
import io.websockex.adapter.WebsockexException;
import io.websockex.adapter.platform.Platform;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The channels one client tracks: the configured ones plus those subscribed through the
 * API, restored after each reconnect, and the subscribe and unsubscribe calls that change
 * them on a live session.
 */
final class Subscriptions {

	private static final VarHandle TRACKED;

	static {
		try {
			TRACKED = MethodHandles.lookup().findVarHandle(Subscriptions.class, "tracked", Set.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final Config config;

	private final RequestSender requests;

	// Copy on write like a CopyOnWriteArraySet, but an immutable snapshot swapped by CAS
	// (TRACKED; any caller's thread writes it): a client with no subscriptions shares
	// the empty set instead of keeping a set, a list and an array of its own.
	private volatile Set<String> tracked;

	Subscriptions(Config config, RequestSender requests) {
		this.config = config;
		this.requests = requests;
		this.tracked = snapshot(new LinkedHashSet<>(config.subscriptions()));
	}

	/**
	 * Track channels and, on a session that is up, subscribe to those its restore did
	 * not.
	 * @param subscribe {@code true} to subscribe, {@code false} to unsubscribe
	 * @param channels the channels
	 * @param session the connected session, or {@code null}: then the change waits for
	 * the next connect's restore
	 * @return completes when the server accepted the change
	 */
	Mono<Void> change(boolean subscribe, String[] channels, @Nullable Session session) {
		Platform platform = this.config.platform();
		if (!platform.supportsSubscriptions()) {
			return Mono.error(new WebsockexException("websockex client '" + this.requests.client() + "': platform '"
					+ platform.name() + "' has no subscriptions; send the server's own message with send(...), "
					+ "or set platform to deribit or json-rpc"));
		}
		List<String> list = List.copyOf(new LinkedHashSet<>(Arrays.asList(channels)));
		if (list.isEmpty()) {
			return Mono.empty();
		}
		if (subscribe) {
			update((set) -> set.addAll(list));
		}
		else {
			update((set) -> set.removeAll(list));
		}
		if (session == null) {
			return Mono.empty();
		}
		// Wait for the after-connect setup: its restore may already carry these channels.
		return session.ready().then(Mono.defer(() -> {
			List<String> toSend = subscribe
					? list.stream().filter((channel) -> !session.restored.contains(channel)).toList() : list;
			if (toSend.isEmpty()) {
				return Mono.empty();
			}
			// Chunks the server accepted stay tracked when a later one is refused.
			Set<String> accepted = ConcurrentHashMap.newKeySet();
			Mono<Void> result = call(session, subscribe, toSend, accepted::addAll);
			return subscribe ? result.doOnError((error) -> {
				if (error instanceof JsonRpcErrorException) {
					update((set) -> set.removeAll(toSend.stream().filter((c) -> !accepted.contains(c)).toList()));
				}
			}) : result;
		}));
	}

	/**
	 * Subscribe or unsubscribe on a session in calls of at most
	 * {@code max-channels-per-subscribe} channels, one after another, each through the
	 * rate limiter: an exchange that caps channels per message accepts each, and a
	 * restore of many channels is paced instead of sent as one burst.
	 * @param session the session
	 * @param subscribe {@code true} to subscribe
	 * @param channels the channels, not empty
	 * @param onAccepted hears each chunk the server accepted, in order
	 * @return completes when every chunk was accepted; errors with the first refusal
	 * (later chunks are then not sent)
	 */
	Mono<Void> call(Session session, boolean subscribe, List<String> channels, Consumer<List<String>> onAccepted) {
		Platform platform = this.config.platform();
		int size = this.config.maxChannelsPerSubscribe();
		List<List<String>> chunks = new ArrayList<>(1 + (channels.size() - 1) / size);
		for (int from = 0; from < channels.size(); from += Math.min(size, channels.size() - from)) {
			chunks.add(channels.subList(from, Math.min(channels.size(), from + size)));
		}
		return Flux.fromIterable(chunks).concatMap((chunk) -> {
			Platform.Call call = subscribe ? platform.subscribe(chunk, session.authenticated)
					: platform.unsubscribe(chunk, session.authenticated);
			return this.requests.call(() -> session, call.method(), call.params(), true)
				.doOnNext((result) -> onAccepted.accept(chunk));
		}, 0).then();
	}

	/**
	 * What a new session subscribes to: the configured channels, then the tracked ones.
	 * @return the channels, possibly empty
	 */
	Set<String> toRestore() {
		Set<String> channels = new LinkedHashSet<>(this.config.subscriptions());
		channels.addAll(this.tracked);
		return channels;
	}

	/** Forget what the API subscribed (restore-subscriptions is false). */
	void retainConfigured() {
		update((set) -> set.retainAll(this.config.subscriptions()));
	}

	/**
	 * The tracked channels now.
	 * @return a copy
	 */
	Set<String> snapshot() {
		return Collections.unmodifiableSet(new LinkedHashSet<>(this.tracked));
	}

	int size() {
		return this.tracked.size();
	}

	/**
	 * Copy, change, and swap the snapshot unless another change came first (then retry on
	 * that one).
	 * @param change changes a mutable copy, returns whether it changed anything
	 */
	private void update(Predicate<Set<String>> change) {
		while (true) {
			Set<String> current = this.tracked;
			LinkedHashSet<String> next = new LinkedHashSet<>(current);
			if (!change.test(next) || TRACKED.compareAndSet(this, current, snapshot(next))) {
				return;
			}
		}
	}

	private static Set<String> snapshot(LinkedHashSet<String> channels) {
		return channels.isEmpty() ? Set.of() : Collections.unmodifiableSet(channels);
	}

}
