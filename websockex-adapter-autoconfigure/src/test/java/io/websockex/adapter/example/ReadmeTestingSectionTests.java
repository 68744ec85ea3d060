package io.websockex.adapter.example;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Testing your code" examples are the very classes the build runs: each
 * file's text after its {@code // README:} marker appears in the README as it is.
 */
class ReadmeTestingSectionTests {

	private static final String EXAMPLES = "src/test/java/io/websockex/adapter/example/";

	// Paths from this module; the RawFrameServer example needs the client without Spring
	// and lives in the core.
	@ParameterizedTest
	@ValueSource(strings = { EXAMPLES + "OrderBookFeedTests.java", EXAMPLES + "TickerCountTests.java",
			"../websockex-adapter-core/" + EXAMPLES + "ProtocolErrorTests.java" })
	void theReadmeShowsTheExampleAsTheBuildRunsIt(String file) throws IOException {
		List<String> lines = Files.readAllLines(Path.of(file));
		int marker = lines.indexOf(lines.stream().filter((l) -> l.startsWith("// README: ")).findFirst().orElseThrow());
		String example = String.join("\n", lines.subList(marker + 1, lines.size())).stripTrailing();
		String readme = Files.readString(Path.of("../README.md"));
		assertThat(readme).as("README.md shows %s as written", file).contains("```java\n" + example + "\n```");
	}

}
