package io.websockex.adapter.autoconfigure;

import java.nio.file.Path;

import io.websockex.adapter.Config;
import io.websockex.adapter.Recording;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code websockex.clients.<name>.recording.*} becomes the client's {@link Recording}.
 */
class WebsockexRecordingPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebsockexAutoConfiguration.class))
		.withPropertyValues("websockex.clients.feed.url=ws://127.0.0.1:1/ws",
				"websockex.clients.feed.auto-startup=false");

	@Test
	void recordingIsOffUnlessAPathIsSet() {
		this.runner
			.run((context) -> assertThat(context.getBean("feedWebsockexConfig", Config.class).recording()).isNull());
	}

	@Test
	void recordingPathSizeAndFilesMapToTheClientsRecording() {
		this.runner
			.withPropertyValues("websockex.clients.feed.recording.path=build/feed.jsonl",
					"websockex.clients.feed.recording.max-file-size=2MB", "websockex.defaults.recording.max-files=3")
			.run((context) -> {
				Recording recording = context.getBean("feedWebsockexConfig", Config.class).recording();
				assertThat(recording).isEqualTo(new Recording(Path.of("build/feed.jsonl"), 2 * 1024 * 1024, 3));
			});
	}

	@Test
	void aDefaultsPathIsNotSharedByEveryClient() {
		this.runner.withPropertyValues("websockex.defaults.recording.path=build/all.jsonl")
			.run((context) -> assertThat(context.getBean("feedWebsockexConfig", Config.class).recording()).isNull());
	}

	@Test
	void aTinyMaximumSizeFailsNamingTheProperty() {
		this.runner
			.withPropertyValues("websockex.clients.feed.recording.path=build/feed.jsonl",
					"websockex.clients.feed.recording.max-file-size=10B")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("recording.max-file-size"));
	}

}
