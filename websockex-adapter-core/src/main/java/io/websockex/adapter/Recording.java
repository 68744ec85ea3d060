package io.websockex.adapter;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how a client records every frame it sends and receives: JSON Lines (one
 * object per frame with {@code time}, {@code direction} {@code in}|{@code out} and
 * {@code text} or base64 {@code binary}), with secrets masked (auth params, tokens,
 * secrets, signatures), rotated by size. The test server of
 * {@code websockex-adapter-test} replays such a file: record a real feed once, replay it
 * in CI.
 *
 * <pre>{@code
 * Config.builder(url).recording(Recording.to(Path.of("feed.jsonl")).withMaxFileSize(10 * 1024 * 1024)).build();
 * }</pre>
 *
 * @param path the file (appended to when it exists; its directory is created)
 * @param maxFileSize the file's size before it rotates ({@code file} becomes
 * {@code file.1}), in bytes, at least 1024
 * @param maxFiles how many rotated files are kept
 */
public record Recording(Path path, long maxFileSize, int maxFiles) {

	/** The size a file may reach before it rotates: 100 MB. */
	public static final long DEFAULT_MAX_FILE_SIZE = 100L * 1024 * 1024;

	/** How many rotated files are kept: 5. */
	public static final int DEFAULT_MAX_FILES = 5;

	/**
	 * Validate.
	 * @param path the file
	 * @param maxFileSize the size before rotation
	 * @param maxFiles the rotated files kept
	 * @throws InvalidConfigException naming the bad property
	 */
	public Recording {
		Objects.requireNonNull(path, "recording.path");
		if (maxFileSize < 1024) {
			throw new InvalidConfigException("recording.max-file-size",
					"must be at least 1KB, was " + maxFileSize + " bytes");
		}
		if (maxFiles < 0) {
			throw new InvalidConfigException("recording.max-files", "must be 0 or more, was " + maxFiles);
		}
	}

	/**
	 * @param path the file
	 * @return a recording to that file, 100 MB a file, 5 rotated files kept
	 */
	public static Recording to(Path path) {
		return new Recording(path, DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_FILES);
	}

	/**
	 * @param bytes the size before rotation
	 * @return a copy with that size
	 */
	public Recording withMaxFileSize(long bytes) {
		return new Recording(this.path, bytes, this.maxFiles);
	}

	/**
	 * @param files the rotated files kept
	 * @return a copy with that count
	 */
	public Recording withMaxFiles(int files) {
		return new Recording(this.path, this.maxFileSize, files);
	}

}
