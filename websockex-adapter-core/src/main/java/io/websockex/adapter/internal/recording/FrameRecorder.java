package io.websockex.adapter.internal.recording;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Records every frame a client sends and receives as JSON Lines, one object per frame:
 * {@code {"time":"2026-11-30T04:20:00.123456Z","direction":"in","text":"..."}}
 * ({@code in}: received by the client, {@code out}: sent by it; binary frames as base64
 * {@code "binary"}), with secrets masked. The test server of
 * {@code websockex-adapter-test} replays such a file.
 * <p>
 * The frame path only timestamps a frame and offers it to a bounded queue, never touching
 * the disk (it runs on a Netty event loop); one daemon thread masks, writes and rotates.
 * When the disk falls behind and the queue is full, frames are dropped and counted rather
 * than growing memory or slowing the connection. The file rotates when it would exceed
 * its size: {@code file} becomes {@code file.1}, {@code file.1} becomes {@code file.2},
 * up to {@code maxFiles} old files.
 */
public final class FrameRecorder implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(FrameRecorder.class);

	private static final JsonMapper mapper = JsonMapper.shared();

	private static final int QUEUE = 65_536;

	private final String clientName;

	private final Path path;

	private final long maxFileBytes;

	private final int maxFiles;

	private final Clock clock;

	private final BlockingQueue<Frame> queue;

	private final AtomicLong dropped = new AtomicLong();

	private final AtomicLong written = new AtomicLong();

	private final AtomicLong offered = new AtomicLong();

	private final Thread writer;

	private volatile boolean closed;

	private @Nullable BufferedWriter out;

	private long fileBytes;

	/**
	 * Start recording to a file (appended to when it exists).
	 * @param clientName the client's name, for log messages
	 * @param path the file
	 * @param maxFileBytes rotate before the file grows beyond this many bytes
	 * @param maxFiles how many rotated files to keep
	 */
	public FrameRecorder(String clientName, Path path, long maxFileBytes, int maxFiles) {
		this(clientName, path, maxFileBytes, maxFiles, Clock.systemUTC(), QUEUE);
	}

	FrameRecorder(String clientName, Path path, long maxFileBytes, int maxFiles, Clock clock, int queueCapacity) {
		if (maxFileBytes < 1024) {
			throw new IllegalArgumentException("recording.max-file-size of client '" + clientName
					+ "' must be at least 1KB, was " + maxFileBytes + " bytes");
		}
		this.clientName = clientName;
		this.path = path;
		this.maxFileBytes = maxFileBytes;
		this.maxFiles = Math.max(0, maxFiles);
		this.clock = clock;
		this.queue = new ArrayBlockingQueue<>(queueCapacity);
		this.writer = new Thread(this::writeLoop, "websockex-recorder-" + clientName);
		this.writer.setDaemon(true);
		this.writer.start();
	}

	/**
	 * @param text a text frame the client received
	 */
	public void inbound(String text) {
		offer(new Frame(this.clock.instant(), false, text, null));
	}

	/**
	 * @param bytes a binary frame the client received
	 */
	public void inbound(byte[] bytes) {
		offer(new Frame(this.clock.instant(), false, null, bytes));
	}

	/**
	 * @param text a text frame the client sent
	 */
	public void outbound(String text) {
		offer(new Frame(this.clock.instant(), true, text, null));
	}

	/**
	 * @param bytes a binary frame the client sent
	 */
	public void outbound(byte[] bytes) {
		offer(new Frame(this.clock.instant(), true, null, bytes));
	}

	private void offer(Frame frame) {
		if (this.closed) {
			return;
		}
		if (this.queue.offer(frame)) {
			this.offered.incrementAndGet();
		}
		else if (this.dropped.getAndIncrement() == 0) {
			logger.warn(
					"websockex client '{}': the recording to {} falls behind; frames are dropped from the "
							+ "recording (not from the connection). Record to a faster disk or fewer frames",
					this.clientName, this.path);
		}
	}

	/**
	 * @return frames left out of the recording because the writer fell behind
	 */
	public long dropped() {
		return this.dropped.get();
	}

	/**
	 * Wait until every frame offered so far is written and flushed (for tests and for a
	 * clean shutdown).
	 * @param timeout how long at most
	 * @return whether everything was written in time
	 */
	public boolean awaitWritten(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		long target = this.offered.get();
		while (this.written.get() < target) {
			if (System.nanoTime() - deadline > 0 || !this.writer.isAlive()) {
				return false;
			}
			try {
				Thread.sleep(2);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return true;
	}

	/** Write what is queued, then stop; frames offered afterwards are ignored. */
	@Override
	public void close() {
		awaitWritten(Duration.ofSeconds(5));
		this.closed = true;
		this.writer.interrupt();
		try {
			this.writer.join(5_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void writeLoop() {
		List<Frame> batch = new ArrayList<>();
		try {
			while (!this.closed) {
				Frame first = this.queue.poll(100, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				batch.add(first);
				this.queue.drainTo(batch, 1024);
				for (Frame frame : batch) {
					write(line(frame));
				}
				if (this.out != null) {
					this.out.flush();
				}
				this.written.addAndGet(batch.size());
				batch.clear();
			}
		}
		catch (InterruptedException ex) {
			// close(): everything offered before it was written
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("websockex client '{}': recording to {} stopped: {}. Check that the directory exists and "
					+ "is writable", this.clientName, this.path, ex.toString());
		}
		finally {
			closeFile();
		}
	}

	private String line(Frame frame) {
		ObjectNode line = mapper.createObjectNode()
			.put("time", frame.time.toString())
			.put("direction", frame.outbound ? "out" : "in");
		if (frame.text != null) {
			line.put("text", SecretMasker.mask(frame.text));
		}
		else {
			line.put("binary", Base64.getEncoder().encodeToString(frame.binary));
		}
		return line.toString() + "\n";
	}

	private void write(String line) throws IOException {
		byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
		if (this.out == null) {
			open();
		}
		if (this.fileBytes > 0 && this.fileBytes + bytes.length > this.maxFileBytes) {
			rotate();
		}
		this.out.write(line);
		this.fileBytes += bytes.length;
	}

	private void open() throws IOException {
		Path parent = this.path.toAbsolutePath().getParent();
		if (parent != null) {
			Files.createDirectories(parent);
		}
		this.out = Files.newBufferedWriter(this.path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
				StandardOpenOption.APPEND);
		this.fileBytes = Files.size(this.path);
	}

	private void rotate() throws IOException {
		closeFile();
		if (this.maxFiles == 0) {
			Files.delete(this.path);
		}
		else {
			Files.deleteIfExists(rotated(this.maxFiles));
			for (int i = this.maxFiles - 1; i >= 1; i--) {
				if (Files.exists(rotated(i))) {
					Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
				}
			}
			Files.move(this.path, rotated(1), StandardCopyOption.REPLACE_EXISTING);
		}
		open();
	}

	private Path rotated(int index) {
		return this.path.resolveSibling(this.path.getFileName() + "." + index);
	}

	private void closeFile() {
		if (this.out != null) {
			try {
				this.out.close();
			}
			catch (IOException ex) {
				// nothing more to write to it
			}
			this.out = null;
		}
	}

	private record Frame(Instant time, boolean outbound, @Nullable String text, byte @Nullable [] binary) {
	}

}
