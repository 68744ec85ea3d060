package io.websockex.adapter.test.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * A recording (JSON Lines, one object per frame: {@code time}, {@code direction}
 * {@code in}|{@code out} as the recording client saw it, and {@code text} or base64
 * {@code binary}) played back by the server: the client's requests are answered with the
 * recorded answers to the same method, in the order recorded (the last one repeats), and
 * every other inbound frame is pushed again on each connection, with its original timing
 * from the connection's start or as fast as possible. A notification of a channel the
 * recording subscribed to waits until the replaying client has subscribed to it too, so
 * nothing arrives before the client could have asked for it.
 */
public final class Replay {

	private final Map<String, List<Answer>> answers;

	private final List<Push> pushes;

	private final boolean originalTiming;

	private final Duration subscriptionWait;

	private final Map<ServerSession, Map<String, AtomicInteger>> calls = new ConcurrentHashMap<>();

	private Replay(Map<String, List<Answer>> answers, List<Push> pushes, boolean originalTiming,
			Duration subscriptionWait) {
		this.answers = answers;
		this.pushes = pushes;
		this.originalTiming = originalTiming;
		this.subscriptionWait = subscriptionWait;
	}

	/**
	 * @param path a recording
	 * @param originalTiming whether pushes keep their recorded spacing
	 * @param subscriptionWait how long a notification waits for the client to subscribe
	 * to its channel before that channel's notifications are skipped
	 * @return the replay
	 * @throws UncheckedIOException when the file cannot be read
	 * @throws IllegalArgumentException naming the line when a line is not a frame
	 */
	public static Replay read(Path path, boolean originalTiming, Duration subscriptionWait) {
		Map<String, String> requestMethods = new HashMap<>();
		Map<String, List<Answer>> answers = new HashMap<>();
		List<Push> pushes = new ArrayList<>();
		Set<String> subscribed = new HashSet<>();
		Instant start = null;
		int number = 0;
		try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
			String line;
			while ((line = reader.readLine()) != null) {
				number++;
				if (line.isBlank()) {
					continue;
				}
				Frame frame = Frame.parse(line, path, number);
				start = (start != null) ? start : frame.time;
				Duration offset = Duration.between(start, frame.time);
				JsonNode json = (frame.text != null) ? Json.parseObject(frame.text) : null;
				String id = (json != null && json.hasNonNull("id")) ? json.get("id").toString() : null;
				if (frame.outbound) {
					if (id != null && json.path("method").isString()) {
						String method = json.get("method").asString();
						requestMethods.put(id, method);
						if (Subscriptions.isSubscribe(method)) {
							json.path("params").path("channels").forEach((c) -> subscribed.add(c.asString("")));
						}
					}
					continue;
				}
				String method = (id != null) ? requestMethods.remove(id) : null;
				if (method != null) {
					Answer answer = json.has("error") ? new Answer(null, json.get("error"), Duration.ZERO)
							: Answer.result(json.path("result"));
					answers.computeIfAbsent(method, (m) -> new ArrayList<>()).add(answer);
					continue;
				}
				String channel = (json != null) ? json.path("params").path("channel").asString(null) : null;
				pushes.add(new Push(offset, frame.text, frame.binary,
						(channel != null && subscribed.contains(channel)) ? channel : null));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read the recording " + path + ": " + ex.getMessage(), ex);
		}
		return new Replay(answers, pushes, originalTiming, subscriptionWait);
	}

	/**
	 * @return how many frames are pushed on each connection
	 */
	public int pushCount() {
		return this.pushes.size();
	}

	/**
	 * @param session the connection
	 * @param method a request's method
	 * @return the recorded answer to this call of the method, or {@code null} when the
	 * recording has none
	 */
	public @Nullable Answer answer(ServerSession session, String method) {
		List<Answer> recorded = this.answers.get(method);
		if (recorded == null) {
			return null;
		}
		int call = this.calls.computeIfAbsent(session, (s) -> new ConcurrentHashMap<>())
			.computeIfAbsent(method, (m) -> new AtomicInteger())
			.getAndIncrement();
		return recorded.get(Math.min(call, recorded.size() - 1));
	}

	/**
	 * Start pushing the recorded frames on a new connection.
	 * @param session the connection
	 */
	public void onOpen(ServerSession session) {
		long start = System.nanoTime();
		Set<String> abandoned = ConcurrentHashMap.newKeySet();
		Disposable playback = Flux.fromIterable(this.pushes)
			.concatMap((push) -> awaitSubscription(session, push, abandoned).then(Mono.defer(() -> {
				long due = this.originalTiming ? start + push.offset.toNanos() - System.nanoTime() : 0;
				return (due > 0) ? Mono.delay(Duration.ofNanos(due)).then() : Mono.<Void>empty();
			})).then(Mono.fromRunnable(() -> push.send(session, abandoned))))
			.subscribe(null, (error) -> {
			});
		session.onEnd(() -> {
			playback.dispose();
			this.calls.remove(session);
		});
	}

	private Mono<Void> awaitSubscription(ServerSession session, Push push, Set<String> abandoned) {
		String channel = push.channel;
		if (channel == null || abandoned.contains(channel)) {
			return Mono.empty();
		}
		// A channel the client never subscribes to is given up once, not once per frame.
		return session.subscribedChannels()
			.filter(channel::equals)
			.next()
			.timeout(this.subscriptionWait)
			.onErrorResume((error) -> {
				abandoned.add(channel);
				return Mono.empty();
			})
			.then();
	}

	/** One frame pushed by the replay. */
	private record Push(Duration offset, @Nullable String text, byte @Nullable [] binary, @Nullable String channel) {

		void send(ServerSession session, Set<String> abandoned) {
			if (this.channel != null && abandoned.contains(this.channel)) {
				return;
			}
			if (this.text != null) {
				session.send(this.text);
			}
			else if (this.binary != null) {
				session.sendBinary(this.binary);
			}
		}

	}

	/** One line of a recording. */
	private record Frame(Instant time, boolean outbound, @Nullable String text, byte @Nullable [] binary) {

		static Frame parse(String line, Path path, int number) {
			JsonNode json = Json.parseObject(line);
			String where = path + " line " + number;
			if (json == null) {
				throw new IllegalArgumentException(where + " is not a JSON object; a recording has one frame "
						+ "object per line: {\"time\":...,\"direction\":\"in\"|\"out\",\"text\"|\"binary\":...}");
			}
			String direction = json.path("direction").asString("");
			if (!direction.equals("in") && !direction.equals("out")) {
				throw new IllegalArgumentException(where + " has direction '" + direction + "': use in or out");
			}
			Instant time;
			try {
				time = Instant.parse(json.path("time").asString(""));
			}
			catch (RuntimeException ex) {
				throw new IllegalArgumentException(
						where + " has no valid time: use an ISO-8601 instant such as 2026-11-30T04:20:00.123Z", ex);
			}
			String text = json.path("text").isString() ? json.get("text").asString() : null;
			byte[] binary = json.path("binary").isString() ? Base64.getDecoder().decode(json.get("binary").asString())
					: null;
			if (text == null && binary == null) {
				throw new IllegalArgumentException(where + " has neither text nor binary");
			}
			return new Frame(time, direction.equals("out"), text, binary);
		}

	}

}
