package io.websockex.samples.deribit;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The market-feed client against Deribit's public test network
 * ({@code wss://test.deribit.com/ws/api/v2}), public channels only, no account needed.
 * Needs internet access; not run by the tests.
 */
@SpringBootApplication
public class DeribitTestnetApplication {

	/**
	 * Run the sample.
	 * @param args command line arguments
	 */
	public static void main(String[] args) {
		SpringApplication.run(DeribitTestnetApplication.class, args);
	}

}
