package io.websockex.samples.marketfeed;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.util.TestSocketUtils;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The sample's page as a person sees it, in a real headless browser: Debian's chromium,
 * driven through Debian's chromedriver, both given by path so that nothing is looked up
 * or downloaded. Proves that the page shows the client connected, healthy and receiving
 * live data; that the simulator's "Drop connections" and "Stall for" buttons make the
 * client visibly leave {@code CONNECTED} and come back, with the reason in the page's
 * log; and that the page's script logs no error to the browser console.
 * <p>
 * Without {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (Debian packages
 * {@code chromium} and {@code chromium-driver}) the tests are skipped, or fail when the
 * environment variable {@code WEBSOCKEX_BROWSER_TESTS=required} is set, as
 * {@code .ci/run} sets it. Each test leaves a screenshot,
 * {@code target/market-feed-page-<test>.png}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.DEFINED_PORT, properties = "server.address=127.0.0.1")
@DirtiesContext
@ExtendWith(MarketFeedPageBrowserTests.BrowserInstalled.class)
class MarketFeedPageBrowserTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final String CLIENT = "exchange";

	// A count as the page writes it: 1,234.
	private static final Pattern NUMBER = Pattern.compile("[0-9][0-9,]*");

	// Reconnecting takes 0.5s (retry-delay) plus, for a stall, the 3s idle-timeout; the
	// page polls once a second.
	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	// Longer than the sample's heartbeat.idle-timeout (3s), so the silence is detected
	// while the simulator still holds the connection stalled.
	private static final int STALL_SECONDS = 5;

	// The client's URL is bound from ${server.port} before the web server starts, so the
	// port is chosen up front (as in MarketFeedApplicationTests).
	private static final int PORT = TestSocketUtils.findAvailableTcpPort();

	// Debian's chromium is newer than the DevTools bindings of Selenium's release, and
	// Selenium warns about it at start; this test uses no DevTools (it reads the console
	// through chromedriver's log endpoint). Held here: a logger's level is kept only as
	// long as the logger is referenced.
	private static final List<Logger> QUIET = List.of(quiet("org.openqa.selenium.devtools.CdpVersionFinder"),
			quiet("org.openqa.selenium.chromium.ChromiumDriver"));

	private static Path profile;

	private static ChromeDriverService service;

	private static WebDriver browser;

	private final List<String> consoleErrors = new ArrayList<>();

	@DynamicPropertySource
	static void port(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
	}

	@BeforeAll
	static void startBrowser() throws IOException {
		String missing = missingBrowser();
		if (missing != null) {
			// Only when required: otherwise BrowserInstalled has skipped the class.
			fail(missing + " (WEBSOCKEX_BROWSER_TESTS=required)");
		}
		profile = Files.createTempDirectory("market-feed-chromium");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
				"--window-size=1280,1080");
		LoggingPreferences logging = new LoggingPreferences();
		logging.enable(LogType.BROWSER, Level.ALL);
		options.setCapability(ChromeOptions.LOGGING_PREFS, logging);
		Files.createDirectories(Path.of("target"));
		service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.withLogFile(new File("target/chromedriver.log"))
			.build();
		browser = new ChromeDriver(service, options);
		browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
		browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
	}

	private static Logger quiet(String name) {
		Logger logger = Logger.getLogger(name);
		logger.setLevel(Level.SEVERE);
		return logger;
	}

	/**
	 * What is missing of the browser and its driver, and how to install it.
	 * @return the message, or {@code null} when both are there
	 */
	private static String missingBrowser() {
		List<String> missing = new ArrayList<>();
		if (!Files.isExecutable(CHROMIUM)) {
			missing.add(CHROMIUM.toString());
		}
		if (!Files.isExecutable(CHROMEDRIVER)) {
			missing.add(CHROMEDRIVER.toString());
		}
		return missing.isEmpty() ? null : "The page test needs Debian's chromium and its driver, missing " + missing
				+ ": install them with 'apt-get install chromium chromium-driver'";
	}

	private static boolean browserRequired() {
		return "required".equals(System.getenv("WEBSOCKEX_BROWSER_TESTS"));
	}

	@AfterAll
	static void stopBrowser() throws IOException {
		if (browser != null) {
			browser.quit();
		}
		if (service != null) {
			service.stop();
		}
		if (profile != null) {
			FileSystemUtils.deleteRecursively(profile);
		}
	}

	@BeforeEach
	void openThePage() {
		browser.get("http://127.0.0.1:" + PORT + "/");
		waitUntil("the client's card shows CONNECTED", () -> "CONNECTED".equals(text(clientState())));
	}

	@AfterEach
	void screenshotAndConsole(TestInfo test) throws IOException {
		File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
		String name = test.getTestMethod().map((method) -> method.getName()).orElse("page");
		Files.copy(shot.toPath(), Path.of("target", "market-feed-page-" + name + ".png"),
				StandardCopyOption.REPLACE_EXISTING);
		// The page catches its own errors while polling and shows them in a banner.
		assertThat(text(By.id("banner"))).as("the page's error banner").isEmpty();
		readConsole();
		assertThat(this.consoleErrors).as("errors in the browser console").isEmpty();
	}

	@Test
	void showsTheClientConnectedAndHealthyWithLiveDataThatKeepsChanging() {
		waitUntil("health shows UP", () -> "UP".equals(text(By.id("health"))));
		assertThat(text(By.cssSelector("#clients .card-head h2"))).isEqualTo(CLIENT);
		assertThat(text(By.cssSelector("#clients .card-head .url"))).endsWith("/sim/ws");
		assertThat(text(By.cssSelector("#clients .chips"))).contains("ticker.BTC-PERPETUAL.raw",
				"ticker.ETH-PERPETUAL.raw", "trades.BTC-PERPETUAL.raw", "trades.ETH-PERPETUAL.raw");
		assertThat(number(text(detail("Connection attempts")))).isPositive();
		assertThat(text(statValue("Heartbeat"))).isEqualTo("healthy");
		assertThat(text(By.id("log"))).contains(CLIENT + ": CONNECTED");

		waitUntil("a message rate is shown", () -> number(text(statValue("Messages / s in"))) > 0);
		long total = number(text(statSub("Received")));
		String updated = text(By.id("updated"));
		waitUntil("the received total grows", () -> number(text(statSub("Received"))) > total);
		assertThat(text(By.id("updated"))).startsWith("updated ").isNotEqualTo(updated);
		assertThat(text(statValue("Received"))).matches("[0-9.]+ (B|KB|MB)");
		// The sample asks for the server's time every second: the client's histogram
		// of request round trips gives the page its p99.
		waitUntil("the request p99 is shown", () -> text(statValue("Request p99")).matches("[0-9][0-9.,]* ms"));
		assertThat(text(statSub("Request p99"))).matches("p50 [0-9.,]+ ms, max [0-9.,]+ ms, [0-9,]+ requests");
		assertThat(number(text(statSub("Request p99")).replaceAll(".*ms, ", ""))).isPositive();
	}

	@Test
	void showsTheClientLeavingAndRegainingConnectedWhenTheSimulatorDropsConnections() {
		long reconnects = number(text(statValue("Reconnects")));
		browser.findElement(By.id("drop")).click();
		waitUntil("the drop is acknowledged", () -> text(By.id("action")).equals("drop: {\"dropped\":1}"));
		waitUntil("the reconnect count rises and the client is CONNECTED again",
				() -> number(text(statValue("Reconnects"))) > reconnects && "CONNECTED".equals(text(clientState())));

		String log = text(By.id("log"));
		assertThat(log).contains("simulator: drop {\"dropped\":1}");
		assertThat(log).containsPattern(CLIENT + ": CONNECTED \u2192 (CONNECTING|DISCONNECTED)");
		assertThat(log).containsPattern("\u2192 CONNECTED \\(reconnect #" + (reconnects + 1) + ", 4 subscriptions");
		// 1012: the close code of the simulator's drop (service restart).
		assertThat(log).contains("1012");
		assertThat(text(detail("Last error"))).contains("1012");
		assertFlowing();
	}

	@Test
	void showsAStalledConnectionDetectedAndHealedWhenTheSimulatorStalls() {
		long reconnects = number(text(statValue("Reconnects")));
		WebElement seconds = browser.findElement(By.id("stall-seconds"));
		seconds.clear();
		seconds.sendKeys(String.valueOf(STALL_SECONDS));
		browser.findElement(By.id("stall")).click();
		// The simulator answers with a JSON object whose key order is not fixed.
		waitUntil("the stall is acknowledged", () -> text(By.id("action")).startsWith("stall " + STALL_SECONDS + "s: {")
				&& text(By.id("action")).contains("\"stalled\":1"));
		waitUntil("the reconnect count rises and the client is CONNECTED again",
				() -> number(text(statValue("Reconnects"))) > reconnects && "CONNECTED".equals(text(clientState())));

		String log = text(By.id("log"));
		assertThat(log).contains("simulator: stall " + STALL_SECONDS + "s {");
		assertThat(log).containsPattern(CLIENT + ": CONNECTED \u2192 (CONNECTING|DISCONNECTED)");
		assertThat(log).containsPattern("\u2192 CONNECTED \\(reconnect #" + (reconnects + 1) + ", 4 subscriptions");
		// The socket stayed open: only the idle watchdog or the heartbeat can tell, and
		// the page says which, in its log and in the card's last error.
		assertThat(log).contains("heartbeat");
		assertThat(text(detail("Last error"))).contains("heartbeat");
		assertFlowing();
	}

	private void assertFlowing() {
		long total = number(text(statSub("Received")));
		waitUntil("the received total grows again", () -> number(text(statSub("Received"))) > total);
		waitUntil("health shows UP", () -> "UP".equals(text(By.id("health"))));
	}

	/**
	 * Keep the console's errors. A failed request is logged as an error too; the one
	 * expected is the health endpoint's 503 while the client is down, which the page
	 * shows as health DOWN.
	 */
	private void readConsole() {
		for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
			boolean healthDown = entry.getMessage().contains("/actuator/health")
					&& entry.getMessage().contains("status of 503");
			if (entry.getLevel().intValue() >= Level.SEVERE.intValue() && !healthDown) {
				this.consoleErrors.add(entry.getLevel() + " " + entry.getMessage());
			}
		}
	}

	private static By clientState() {
		return By.cssSelector("#clients .card-head .pill");
	}

	private static By statValue(String label) {
		return By.xpath(stat(label) + "/div[@class='value' or starts-with(@class, 'value ')]");
	}

	private static By statSub(String label) {
		return By.xpath(stat(label) + "/div[@class='sub']");
	}

	private static String stat(String label) {
		return "//div[@id='clients']//div[@class='stat'][div[@class='label' and normalize-space(.)='" + label + "']]";
	}

	private static By detail(String label) {
		return By
			.xpath("//div[@id='clients']//table[@class='kv']//tr[td[1][normalize-space(.)='" + label + "']]/td[2]");
	}

	/**
	 * The element's text as the page shows it, or "" when it is not (yet) there.
	 */
	private static String text(By locator) {
		try {
			List<WebElement> found = browser.findElements(locator);
			return found.isEmpty() ? "" : found.get(0).getText().strip();
		}
		catch (StaleElementReferenceException ex) {
			return "";
		}
	}

	/**
	 * The first number in a text such as "1,234" or "total 1,234" or "5,678 messages"; -1
	 * when there is none.
	 */
	private static long number(String text) {
		Matcher number = NUMBER.matcher(text);
		return number.find() ? Long.parseLong(number.group().replace(",", "")) : -1;
	}

	private void waitUntil(String what, BooleanSupplier condition) {
		new WebDriverWait(browser, TIMEOUT, Duration.ofMillis(100))
			.withMessage(() -> what + "; the page shows:\n" + text(By.tagName("body")))
			.until((driver) -> condition.getAsBoolean());
	}

	/**
	 * Skips the class, saying what to install, when chromium or chromedriver is missing
	 * and the browser test is not required. A condition rather than an assumption in
	 * {@code @BeforeAll}: Surefire reports a class aborted there as "Tests run: 0,
	 * Skipped: 0", and the skip would go unseen; skipped by a condition, the tests show
	 * as skipped, with this message in the report. Decided before the application starts.
	 */
	static class BrowserInstalled implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			String missing = missingBrowser();
			if (missing == null || browserRequired()) {
				return ConditionEvaluationResult.enabled("chromium and chromedriver are installed, or required");
			}
			return ConditionEvaluationResult.disabled(missing);
		}

	}

}
